// Push subscriptions through real sockets on both engines, against a small HTTP receiver
// the test runs on 127.0.0.1: 人社's clerk subscribes to 户籍人口 under the demo's grant
// (the secret shown once); a write by 公安 is pushed, first refused by the receiver (the
// subscription shows the retry and its backoff), then delivered; the receiver verifies
// the signature with the secret; the push is in zhangsan's data-use record. With few
// attempts allowed (ZHENGWU_WEBHOOK_MAX_ATTEMPTS) a payload becomes a dead letter and is
// redelivered by hand. Pause, resume, cancel, the centre's view and every refusal.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "kernel/crypto/crypto.hpp"
#include "support/accounts.hpp"
#include "support/engine_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kZhangsan = "330106198805121237";
constexpr const char* kRsjPurpose = "社会保险参保登记身份核验";
const std::string kSubscriptions = "/api/exchange/subscriptions";

// A webhook receiver: answers each POST with the next status of its script (then 200),
// and keeps what it was sent.
class HookReceiver {
 public:
  struct Hook {
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    int answered = 0;
  };

  HookReceiver() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
      throw std::runtime_error("receiver: cannot listen");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~HookReceiver() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/zhengwu/hook"; }
  void answer(std::vector<int> script) {
    std::lock_guard lock(mutex_);
    script_ = std::move(script);
  }
  std::vector<Hook> hooks() const {
    std::lock_guard lock(mutex_);
    return hooks_;
  }

 private:
  void serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) {
        if (stop_) return;
        continue;
      }
      timeval tv{5, 0};
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      handle(c);
      ::close(c);
    }
  }

  void handle(int c) {
    std::string in;
    char buf[8192];
    std::size_t head_end = std::string::npos;
    while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
      auto n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return;
      in.append(buf, static_cast<std::size_t>(n));
    }
    Hook hook;
    std::size_t at = in.find("\r\n") + 2;
    while (at < head_end) {
      auto eol = in.find("\r\n", at);
      auto line = in.substr(at, eol - at);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        hook.headers[name] = value;
      }
      at = eol + 2;
    }
    const std::size_t length = hook.headers.contains("content-length") ? std::stoul(hook.headers["content-length"]) : 0;
    hook.body = in.substr(head_end + 4);
    while (hook.body.size() < length) {
      auto n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return;
      hook.body.append(buf, static_cast<std::size_t>(n));
    }
    {
      std::lock_guard lock(mutex_);
      hook.answered = script_.empty() ? 200 : script_.front();
      if (!script_.empty()) script_.erase(script_.begin());
      hooks_.push_back(hook);
    }
    const std::string reply = "HTTP/1.1 " + std::to_string(hook.answered) + " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<int> script_;  // guarded by mutex_
  std::vector<Hook> hooks_;  // guarded by mutex_
  std::thread thread_;
};

// An https:// receiver on 127.0.0.1 with the given certificate and key; answers every
// POST with 200 and keeps the requests whose TLS handshake succeeded.
class TlsReceiver {
 public:
  TlsReceiver(const std::filesystem::path& cert, const std::filesystem::path& key)
      : context_(boost::asio::ssl::context::tls_server),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    context_.use_certificate_chain_file(cert.string());
    context_.use_private_key_file(key.string(), boost::asio::ssl::context::pem);
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~TlsReceiver() {
    stop_ = true;
    boost::system::error_code ignored;
    boost::asio::ip::tcp::socket wake(io_);  // unblocks accept()
    wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ignored);
    thread_.join();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/zhengwu/hook"; }
  std::vector<std::string> signatures() const {
    std::lock_guard lock(mutex_);
    return signatures_;
  }

 private:
  void serve() {
    namespace bhttp = boost::beast::http;
    while (!stop_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) continue;
      timeval tv{5, 0};
      ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(socket, context_);
      stream.handshake(boost::asio::ssl::stream_base::server, ec);
      if (ec) continue;  // the client refused the certificate
      boost::beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> request;
      bhttp::read(stream, buffer, request, ec);
      if (ec) continue;
      {
        std::lock_guard lock(mutex_);
        signatures_.emplace_back(request["X-Zw-Signature"]);
      }
      bhttp::response<bhttp::string_body> response{bhttp::status::ok, 11};
      response.set(bhttp::field::connection, "close");
      response.body() = "{}";
      response.prepare_payload();
      bhttp::write(stream, response, ec);
      stream.shutdown(ec);
    }
  }

  boost::asio::io_context io_;
  boost::asio::ssl::context context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> signatures_;  // guarded by mutex_
  std::thread thread_;
};

// A self-signed certificate (its own CA) naming `subject_alt_name`, made with openssl.
void make_certificate(const std::filesystem::path& dir, const std::string& subject_alt_name) {
  std::filesystem::create_directories(dir);
  const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                              "-subj /CN=zhengwu-test-receiver -addext subjectAltName=" +
                              subject_alt_name + " -keyout " + (dir / "key.pem").string() + " -out " +
                              (dir / "cert.pem").string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

// Polls `check` until it holds or `limit` passes.
bool eventually(const std::function<bool()>& check, std::chrono::milliseconds limit = 20s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (check()) return true;
    std::this_thread::sleep_for(150ms);
  }
  return check();
}

class SubscriptionsApiTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    run_ok({"demo", "--seed-only"}, env_);
    server_env_ = env_;
    server_env_["ZHENGWU_JOBS_POLL_MS"] = "200";
    server_env_["ZHENGWU_WEBHOOK_RETRY_BASE_MS"] = "1000";
    server_env_["ZHENGWU_WEBHOOK_MAX_ATTEMPTS"] = "3";
    server_ = std::make_unique<ServerProcess>(data_dir(), server_env_);
    rsj_ = bearer(sign_in(port(), "rsj.clerk", "Demo#Clerk2026"));
    gaj_ = bearer(sign_in(port(), "gaj.clerk", "Demo#Clerk2026"));
    centre_ = bearer(sign_in(port(), "sjzyj.officer", "Demo#Data2026"));
  }
  int port() const { return server_->port(); }

  HttpResponse post(const std::string& target, std::map<std::string, std::string> who, const std::string& body = "{}") {
    who["Content-Type"] = "application/json";
    return http_request(port(), "POST", target, body, who);
  }

  json::object subscribe(const std::string& url) {
    auto r = post(kSubscriptions, rsj_,
                  json::serialize(json::object{{"resource", "gaj.population"}, {"purpose", kRsjPurpose}, {"url", url}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).as_object();
  }

  json::object subscription(std::int64_t id, const std::map<std::string, std::string>& who) {
    auto r = http_get(port(), kSubscriptions + "/" + std::to_string(id), who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body).as_object() : json::object{};
  }

  // 公安 changes zhangsan's phone through the record API.
  void change_zhangsan(const std::string& phone) {
    static int n = 0;
    auto who = gaj_;
    who["Idempotency-Key"] = "subscriptions-test-" + std::to_string(++n) + "-" + phone;
    auto r = post("/api/catalog/resources/gaj.population/records", who,
                  R"({"records":[{"id_number":"330106198805121237","name":"张三","gender":"男","birth_date":"1988-05-12","phone":")" +
                      phone + R"("}]})");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // The server again, with `name` set in its environment (sessions stay valid).
  void restart_with(const std::string& name, const std::string& value) {
    server_.reset();
    server_env_[name] = value;
    server_ = std::make_unique<ServerProcess>(data_dir(), server_env_);
  }

  Env server_env_;
  std::unique_ptr<ServerProcess> server_;
  std::map<std::string, std::string> rsj_, gaj_, centre_;
};

// https:// receivers: the push goes over TLS to a receiver whose certificate a trusted CA
// signed and that names the URL's host; one with a trusted certificate for another host,
// and one whose certificate nobody trusts, get nothing — their attempts fail and say why.
TEST_P(SubscriptionsApiTest, HttpsPushesCheckTheReceiversCertificate) {
  TempDir certs;
  make_certificate(certs.path() / "good", "IP:127.0.0.1");
  make_certificate(certs.path() / "other_host", "DNS:rsj.example.cn");
  make_certificate(certs.path() / "untrusted", "IP:127.0.0.1");
  if (HasFatalFailure()) return;
  {
    std::ofstream ca(certs.path() / "ca.pem");
    for (const char* trusted : {"good", "other_host"}) ca << std::ifstream(certs.path() / trusted / "cert.pem").rdbuf();
  }
  restart_with("ZHENGWU_WEBHOOK_CA_FILE", (certs.path() / "ca.pem").string());
  TlsReceiver good(certs.path() / "good" / "cert.pem", certs.path() / "good" / "key.pem");
  TlsReceiver other_host(certs.path() / "other_host" / "cert.pem", certs.path() / "other_host" / "key.pem");
  TlsReceiver untrusted(certs.path() / "untrusted" / "cert.pem", certs.path() / "untrusted" / "key.pem");
  const auto delivered = subscribe(good.url()).at("id").as_int64();
  const auto wrong_host = subscribe(other_host.url()).at("id").as_int64();
  const auto unknown_ca = subscribe(untrusted.url()).at("id").as_int64();

  change_zhangsan("13905716666");
  json::object state;
  ASSERT_TRUE(eventually([&] {
    state = subscription(delivered, rsj_);
    return state.at("delivered").as_int64() == 1;
  })) << json::serialize(state);
  ASSERT_EQ(good.signatures().size(), 1u);
  EXPECT_EQ(good.signatures()[0].size(), 64u) << "HMAC-SM3 in hex, over TLS";
  for (const auto id : {wrong_host, unknown_ca}) {
    ASSERT_TRUE(eventually([&] {
      state = subscription(id, rsj_);
      return state.at("attempts").as_int64() >= 1;
    })) << json::serialize(state);
    EXPECT_EQ(state.at("delivered").as_int64(), 0);
    EXPECT_NE(state.at("last_error").as_string().find("TLS"), std::string::npos) << json::serialize(state);
    EXPECT_NE(state.at("last_error").as_string().find("certificate verify failed"), std::string::npos)
        << json::serialize(state);
  }
  EXPECT_TRUE(other_host.signatures().empty());
  EXPECT_TRUE(untrusted.signatures().empty());
}

TEST_P(SubscriptionsApiTest, AChangeIsRetriedThenDeliveredSignedAndInThePersonsRecord) {
  HookReceiver receiver;
  receiver.answer({500});
  auto made = subscribe(receiver.url());
  const auto id = made.at("id").as_int64();
  const std::string secret(made.at("secret").as_string());
  EXPECT_EQ(secret.size(), 64u) << "shown once, at creation";
  EXPECT_EQ(made.at("state").as_string(), "active");
  EXPECT_EQ(made.at("health").as_string(), "ok");
  EXPECT_FALSE(subscription(id, rsj_).contains("secret")) << "never shown again";

  auto mine = json::parse(http_get(port(), kSubscriptions + "?side=mine", rsj_).body);
  ASSERT_EQ(mine.at("items").as_array().size(), 1u);
  EXPECT_EQ(mine.at("items").at(0).at("pending_changes").as_int64(), 0) << "changes from now on";

  change_zhangsan("13905718888");
  json::object state;
  ASSERT_TRUE(eventually([&] {
    state = subscription(id, rsj_);
    return state.at("attempts").as_int64() == 1;
  })) << json::serialize(state);
  EXPECT_EQ(state.at("health").as_string(), "retrying");
  EXPECT_EQ(state.at("last_status").as_int64(), 500);
  EXPECT_NE(state.at("last_error").as_string().find("500"), std::string::npos);
  EXPECT_TRUE(state.at("next_attempt_at").is_string());
  EXPECT_EQ(state.at("pending_changes").as_int64(), 1);

  ASSERT_TRUE(eventually([&] {
    state = subscription(id, rsj_);
    return state.at("delivered").as_int64() == 1;
  })) << json::serialize(state);
  EXPECT_EQ(state.at("health").as_string(), "ok");
  EXPECT_EQ(state.at("attempts").as_int64(), 0);
  EXPECT_EQ(state.at("last_status").as_int64(), 200);
  EXPECT_EQ(state.at("pending_changes").as_int64(), 0);

  auto hooks = receiver.hooks();
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_EQ(hooks[0].headers.at("x-zw-delivery"), hooks[1].headers.at("x-zw-delivery")) << "one payload, retried";
  for (const auto& h : hooks) {
    const auto expected = crypto::to_hex(crypto::hmac_sm3(secret, h.headers.at("x-zw-timestamp") + "\n" + h.body));
    EXPECT_EQ(h.headers.at("x-zw-signature"), expected) << "the receiver verifies with the secret it was shown";
    EXPECT_EQ(h.headers.at("x-zw-subscription"), std::to_string(id));
  }
  auto body = json::parse(hooks[1].body);
  EXPECT_EQ(body.at("subscription").as_int64(), id);
  EXPECT_EQ(body.at("resource").as_string(), "gaj.population");
  const auto& change = body.at("changes").at(0);
  EXPECT_EQ(change.at("key").as_string(), kZhangsan);
  EXPECT_EQ(change.at("record").at("name").as_string(), "张三") << "granted in clear";
  EXPECT_EQ(change.at("record").at("gender").as_string(), "***") << "granted masked";
  EXPECT_FALSE(change.at("record").as_object().contains("phone")) << "not granted";
  EXPECT_EQ(body.at("cursor").as_string(), state.at("cursor").as_string());

  // A pushed record about a person is a read of their data.
  auto citizen = bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"));
  auto use = json::parse(http_get(port(), "/api/me/data-use", citizen).body);
  const auto items = use.at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].at("org").as_string(), "330100-RSJ");
  EXPECT_EQ(items[0].at("purpose").as_string(), kRsjPurpose);
  EXPECT_EQ(items[0].at("client").as_string(), "数据订阅 #" + std::to_string(id));
}

TEST_P(SubscriptionsApiTest, AfterTheLastAttemptADeadLetterIsRedeliveredByHand) {
  HookReceiver receiver;
  receiver.answer({500, 502, 503});
  const auto id = subscribe(receiver.url()).at("id").as_int64();
  change_zhangsan("13905717777");
  json::object state;
  ASSERT_TRUE(eventually([&] {
    state = subscription(id, rsj_);
    return state.at("dead_letters").as_int64() == 1;
  }, 30s)) << json::serialize(state);
  EXPECT_EQ(state.at("health").as_string(), "dead_letters");
  EXPECT_EQ(state.at("attempts").as_int64(), 0) << "the cursor moved on";
  EXPECT_EQ(state.at("pending_changes").as_int64(), 0);
  EXPECT_EQ(receiver.hooks().size(), 3u) << "ZHENGWU_WEBHOOK_MAX_ATTEMPTS=3";

  auto letters = http_get(port(), kSubscriptions + "/" + std::to_string(id) + "/dead-letters", rsj_);
  ASSERT_EQ(letters.status, 200) << letters.body;
  const auto letter = json::parse(letters.body).at("items").at(0).as_object();
  EXPECT_EQ(letter.at("attempts").as_int64(), 3);
  EXPECT_EQ(letter.at("last_status").as_int64(), 503);
  EXPECT_EQ(letter.at("records").as_int64(), 1);
  EXPECT_EQ(letter.at("state").as_string(), "dead");
  EXPECT_FALSE(letter.contains("payload")) << "the records are not shown to staff";
  const auto redeliver =
      kSubscriptions + "/dead-letters/" + std::to_string(letter.at("id").as_int64()) + "/redeliver";

  EXPECT_EQ(post(redeliver, gaj_).status, 404) << "another department's";
  EXPECT_EQ(post(redeliver, centre_).status, 403) << "the centre sees, the department acts";
  auto again = post(redeliver, rsj_);  // the receiver answers 200 now
  ASSERT_EQ(again.status, 200) << again.body;
  auto done = json::parse(again.body);
  EXPECT_EQ(done.at("state").as_string(), "redelivered");
  EXPECT_EQ(done.at("redelivery_status").as_int64(), 200);
  EXPECT_EQ(done.at("redelivered_by").as_string(), "rsj.clerk");
  EXPECT_EQ(receiver.hooks().back().headers.at("x-zw-delivery"), letter.at("delivery_id").as_string());
  EXPECT_EQ(subscription(id, rsj_).at("dead_letters").as_int64(), 0);
  EXPECT_EQ(post(redeliver, rsj_).status, 409) << "delivered already";
  EXPECT_EQ(post(kSubscriptions + "/dead-letters/999999/redeliver", rsj_).status, 404);
}

TEST_P(SubscriptionsApiTest, PauseResumeCancelAndEveryRefusal) {
  HookReceiver receiver;
  const auto id = subscribe(receiver.url()).at("id").as_int64();
  const auto base = kSubscriptions + "/" + std::to_string(id);

  auto paused = post(base + "/pause", rsj_, R"({"reason":"系统升级"})");
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(json::parse(paused.body).at("health").as_string(), "paused");
  EXPECT_EQ(json::parse(paused.body).at("paused_reason").as_string(), "系统升级");
  change_zhangsan("13905716666");
  std::this_thread::sleep_for(2500ms);
  EXPECT_TRUE(receiver.hooks().empty()) << "nothing is pushed while paused";
  EXPECT_EQ(subscription(id, rsj_).at("pending_changes").as_int64(), 1);
  auto resumed = post(base + "/resume", rsj_);
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(json::parse(resumed.body).at("state").as_string(), "active");
  ASSERT_TRUE(eventually([&] { return receiver.hooks().size() == 1; })) << "the waiting change flows";

  // The centre sees every department's; a department only its own.
  auto all = http_get(port(), kSubscriptions + "?side=all", centre_);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(json::parse(all.body).at("items").as_array().size(), 3u) << "this one and the demo's two of 公积金中心";
  EXPECT_EQ(http_get(port(), base, centre_).status, 200);
  EXPECT_EQ(post(base + "/pause", centre_).status, 403);
  EXPECT_EQ(http_get(port(), kSubscriptions + "?side=all", rsj_).status, 403);
  EXPECT_EQ(http_get(port(), base, gaj_).status, 404) << "another department's is not there for it";
  EXPECT_TRUE(json::parse(http_get(port(), kSubscriptions, gaj_).body).at("items").as_array().empty());

  struct Row {
    const char* name;
    HttpResponse response;
    int status;
    const char* says;
  };
  auto with = [&](const std::string& url, const std::string& purpose) {
    return post(kSubscriptions, rsj_,
                json::serialize(json::object{{"resource", "gaj.population"}, {"purpose", purpose}, {"url", url}}));
  };
  const std::vector<Row> rows{
      {"ftp", with("ftp://rsj.example.cn/hook", kRsjPurpose), 400, "url"},
      {"too long", with("http://rsj.example.cn/" + std::string(500, 'a'), kRsjPurpose), 400, "url"},
      {"another purpose", with(receiver.url(), "就业失业登记"), 403, "purpose"},
      {"no grant", post(kSubscriptions, gaj_, R"({"resource":"rsj.social_insurance","purpose":"x","url":"http://127.0.0.1:9/"})"),
       403, "no grant"},
      {"no url", post(kSubscriptions, rsj_, R"({"resource":"gaj.population","purpose":"x"})"), 400, "url"},
      {"unknown client", post(kSubscriptions, rsj_, json::serialize(json::object{{"resource", "gaj.population"},
                                                                                 {"purpose", kRsjPurpose},
                                                                                 {"url", receiver.url()},
                                                                                 {"client_id", "zw_nope"}})),
       400, "client_id"},
      {"a citizen", post(kSubscriptions, bearer(sign_in(port(), "zhangsan", "Demo#Citizen2026"))), 403, "sharing.apply"},
      {"signed out", http_request(port(), "POST", kSubscriptions, "{}", {{"Content-Type", "application/json"}}), 401, ""},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(r.response.status, r.status) << r.name << ": " << r.response.body;
    EXPECT_NE(r.response.body.find(r.says), std::string::npos) << r.name << ": " << r.response.body;
  }
  EXPECT_EQ(post(kSubscriptions, centre_, R"({"resource":"gaj.population","purpose":"x","url":"http://127.0.0.1:9/"})")
                .status,
            403)
      << "the centre subscribes for no department";

  auto cancelled = http_request(port(), "DELETE", base, {}, rsj_);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(json::parse(cancelled.body).at("state").as_string(), "cancelled");
  EXPECT_EQ(post(base + "/resume", rsj_).status, 409);
  auto listed = json::parse(http_get(port(), kSubscriptions + "?cancelled=true", rsj_).body);
  bool found = false;
  for (const auto& i : listed.at("items").as_array())
    if (i.at("id").as_int64() == id) found = i.at("state").as_string() == "cancelled";
  EXPECT_TRUE(found);
  EXPECT_EQ(post(kSubscriptions + "/" + std::to_string(id) + "/cancel", rsj_).status, 200) << "cancelling twice is harmless";

  auto spec = json::parse(http_get(port(), "/api/openapi.json").body);
  EXPECT_EQ(spec.at("paths").at("/api/exchange/subscriptions").at("post").at("tags").at(0).as_string(), "subscriptions");

  server_->stop();
  run_ok({"audit", "verify"}, env_);
}

ZHENGWU_ENGINE_TEST_SUITE(Subscriptions, SubscriptionsApiTest);

}  // namespace
}  // namespace zhengwu::testing
