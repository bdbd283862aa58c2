// A deferred reply through a real socket: while one connection's answer is held back (as
// the audit trail holds it until its record is durable), the server's only thread keeps
// serving other connections, and the held answer arrives whole, in order, on a
// connection that stays usable.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kernel/http/dispatcher.hpp"
#include "kernel/http/router.hpp"
#include "kernel/http/server.hpp"
#include "kernel/metrics.hpp"
#include "support/http_client.hpp"

namespace zhengwu::http {
namespace {

using namespace std::chrono_literals;
using testing::HttpConnection;

int port_of(const std::string& address) { return std::stoi(address.substr(address.rfind(':') + 1)); }

class DeferredReplyServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(Route{.method = Method::get, .path = "/slow", .handler = [](Request&) {
                        return Response::json(R"({"which":"slow"})");
                      }});
    router_.add(Route{.method = Method::get, .path = "/fast", .handler = [](Request&) {
                        return Response::json(R"({"which":"fast"})");
                      }});
    dispatcher_ = std::make_unique<Dispatcher>(router_, metrics_, DispatcherOptions{{}, false});
    // Holds back the answer of /slow until the test releases it, from another thread.
    dispatcher_->use([this](Request& req, const Next& next) -> Response {
      Response res = next(req);
      if (req.path != "/slow") return res;
      auto reply = std::make_shared<DeferredReply>();
      {
        std::lock_guard lock(mutex_);
        held_.push_back([reply, res]() mutable { reply->settle(std::move(res)); });
      }
      held_count_.fetch_add(1);
      held_count_.notify_all();
      return Response::later(reply);
    });
    server_ = std::make_unique<Server>(
        ServerLimits{}, [this](Request& req) { return dispatcher_->handle(req); }, nullptr, nullptr);
    server_->listen("127.0.0.1:0");
    port_ = port_of(server_->local_address());
    runner_ = std::thread([this] { server_->run(1, false); });  // one thread on purpose
  }

  void TearDown() override {
    release_all();
    server_->stop();
    runner_.join();
  }

  void wait_held(int n) {
    for (int seen = held_count_.load(); seen < n; seen = held_count_.load()) held_count_.wait(seen);
  }

  void release_all() {
    std::vector<std::function<void()>> held;
    {
      std::lock_guard lock(mutex_);
      held.swap(held_);
    }
    for (auto& release : held) release();
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Server> server_;
  std::thread runner_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<std::function<void()>> held_;
  std::atomic<int> held_count_{0};
};

TEST_F(DeferredReplyServerTest, OtherConnectionsAreServedWhileAnAnswerIsHeld) {
  HttpConnection slow(port_);
  ASSERT_TRUE(slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  wait_held(1);
  // The single server thread is free: another connection gets its answer at once.
  auto fast = testing::http_get(port_, "/fast");
  EXPECT_EQ(fast.status, 200);
  EXPECT_EQ(fast.body, R"({"which":"fast"})");
  // Nothing has come on the held connection yet.
  EXPECT_FALSE(slow.read_response(100ms).has_value());
  release_all();
  auto held = slow.read_response(5s);
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->status, 200);
  EXPECT_EQ(held->body, R"({"which":"slow"})");
  // The dispatcher's finishing steps ran on the settled answer.
  EXPECT_EQ(held->header("x-request-id").size(), 16u);
  EXPECT_EQ(held->header("x-content-type-options"), "nosniff");
  // The connection stays open and serves the next request.
  auto next = slow.request("GET", "/fast");
  EXPECT_EQ(next.status, 200);
}

TEST_F(DeferredReplyServerTest, PipelinedRequestsKeepTheirOrderBehindAHeldAnswer) {
  HttpConnection conn(port_);
  // Two requests in one write: the second must not overtake the held first.
  ASSERT_TRUE(conn.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\n"));
  wait_held(1);
  EXPECT_FALSE(conn.read_response(100ms).has_value());
  release_all();
  auto first = conn.read_response(5s);
  auto second = conn.read_response(5s);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, R"({"which":"slow"})");
  EXPECT_EQ(second->body, R"({"which":"fast"})");
}

TEST_F(DeferredReplyServerTest, SettledFromManyThreadsEachConnectionGetsItsOwnAnswer) {
  constexpr int kConnections = 24;
  std::vector<std::unique_ptr<HttpConnection>> conns;
  for (int i = 0; i < kConnections; ++i) {
    conns.push_back(std::make_unique<HttpConnection>(port_));
    ASSERT_TRUE(conns.back()->send("GET /slow HTTP/1.1\r\nHost: t\r\nX-Request-Id: conn-" + std::to_string(i) +
                                   "\r\n\r\n"));
  }
  wait_held(kConnections);
  std::vector<std::function<void()>> held;
  {
    std::lock_guard lock(mutex_);
    held.swap(held_);
  }
  std::vector<std::thread> settlers;
  for (auto& release : held) settlers.emplace_back(release);
  for (auto& t : settlers) t.join();
  for (int i = 0; i < kConnections; ++i) {
    auto r = conns[i]->read_response(5s);
    ASSERT_TRUE(r.has_value()) << "connection " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("x-request-id"), "conn-" + std::to_string(i));
  }
}

}  // namespace
}  // namespace zhengwu::http
