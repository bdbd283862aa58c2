// Registration unit of the data module, and the operators' catalog command.
#include "modules/data/module.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "kernel/platform.hpp"
#include "kernel/auth/identity.hpp"
#include "kernel/http/json_body.hpp"
#include "kernel/jobs/scheduler.hpp"
#include "modules/data/catalog_routes.hpp"
#include "modules/data/catalog_store.hpp"
#include "modules/data/demo_catalog.hpp"
#include "modules/data/demo_discrepancies.hpp"
#include "modules/data/demo_exchange.hpp"
#include "modules/data/discrepancies.hpp"
#include "modules/data/discrepancy_routes.hpp"
#include "modules/data/record_api.hpp"
#include "modules/data/record_store.hpp"
#include "modules/data/demo_records.hpp"
#include "kernel/demo/hangzhou_demo.hpp"
#include "modules/data/import_batches.hpp"
#include "modules/data/import_routes.hpp"
#include "modules/data/import_run.hpp"
#include "modules/data/quality.hpp"
#include "modules/data/quality_routes.hpp"
#include "kernel/audit/audit_log.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/calendar/calendar_store.hpp"
#include "modules/data/data_use.hpp"
#include "modules/data/demo_sharing.hpp"
#include "modules/data/exchange_routes.hpp"
#include "modules/data/sharing.hpp"
#include "modules/data/sharing_routes.hpp"
#include "modules/data/subscription_routes.hpp"
#include "modules/data/subscriptions.hpp"

namespace zhengwu::modules::data {
namespace json = boost::json;
using zhengwu::data::CatalogStore;
using zhengwu::data::ResourceSpec;

namespace {

class DataModule final : public Module {
 public:
  std::string_view name() const override { return "data"; }
  std::vector<db::Migration> migrations() const override {
    auto all = zhengwu::data::catalog_migrations();
    for (auto& m : zhengwu::data::import_migrations()) all.push_back(std::move(m));
    for (auto& m : zhengwu::data::sharing_migrations()) all.push_back(std::move(m));
    for (auto& m : zhengwu::data::data_use_migrations()) all.push_back(std::move(m));
    for (auto& m : zhengwu::data::discrepancy_migrations()) all.push_back(std::move(m));
    for (auto& m : zhengwu::data::record_request_migrations()) all.push_back(std::move(m));
    for (auto& m : zhengwu::data::quality_migrations()) all.push_back(std::move(m));
    for (auto& m : zhengwu::data::record_store_migrations()) all.push_back(std::move(m));
    for (auto& m : zhengwu::data::subscription_migrations()) all.push_back(std::move(m));
    return all;
  }

  void register_routes(http::Router& router, Platform& platform) override {
    upgrade_record_tables(platform);
    zhengwu::data::add_catalog_routes(router, store(platform), platform.identity(), platform.orgs(), platform.zone());
    zhengwu::data::add_import_routes(
        router, {platform.database(), platform.clock(), platform.zone(), store(platform), runner(platform), platform.orgs(),
                 platform.scheduler(), std::filesystem::path(platform.config().data_dir) / "imports"});
    zhengwu::data::add_discrepancy_routes(
        router, {platform.database(), platform.clock(), platform.zone(), store(platform), platform.orgs()});
    // runner() has loaded the address resolver the record API shares with imports.
    zhengwu::data::add_record_api_routes(router, {platform.database(), platform.clock(), platform.zone(),
                                                  store(platform), platform.orgs(), addresses_.get()});
    zhengwu::data::add_quality_routes(
        router, {platform.database(), platform.clock(), platform.zone(), store(platform), platform.orgs(), platform.scheduler()});
    zhengwu::data::add_sharing_routes(router, sharing(platform), platform.identity(), platform.orgs(), platform.zone());
    zhengwu::data::add_exchange_routes(router, {platform.database(), platform.clock(), platform.zone(), store(platform),
                                                sharing(platform), ledger(platform)});
    zhengwu::data::add_subscription_routes(router, {subscriptions(platform), delivery(platform), platform.orgs(),
                                                    platform.clients(), platform.zone()});
  }

  void register_jobs(jobs::Scheduler& scheduler, Platform& platform) override {
    register_jobs_sharing(scheduler, platform);
    // Push subscriptions: due deliveries every 2 s (retries wait their backoff in the
    // subscription's next_attempt_at, not here).
    scheduler.every(zhengwu::data::kSubscriptionDeliveryJob, std::chrono::seconds(2),
                    [this, &platform] { delivery(platform).run_due(); });
    // An uploaded batch runs here; after a crash the durable timer fires again and the
    // batch resumes after its last committed chunk.
    scheduler.on(zhengwu::data::kImportJob, [this, &platform](const jobs::Job& job) {
      const auto id = std::stoll(job.payload);
      auto batch = zhengwu::data::ImportBatches(platform.database(), platform.clock()).get(id);
      if (!batch || batch->state != zhengwu::data::BatchState::running) return;  // done already
      auto ran = runner(platform).resume(id);
      if (!ran) throw std::runtime_error(ran.error().message);  // retried by the scheduler
      if (ran->state == zhengwu::data::BatchState::done) {
        std::error_code ec;
        std::filesystem::remove(ran->file_path, ec);  // the records are in; the upload is not needed
        // New records change the resource's quality: assess it again.
        platform.scheduler().schedule(zhengwu::data::kQualityJob, platform.clock().now(),
                                      zhengwu::data::quality_job_payload(ran->resource_id, "import"),
                                      "quality:import:" + std::to_string(id));
      }
    });
    zhengwu::data::register_quality_jobs(scheduler, platform.database(), platform.clock(), platform.zone(), store(platform));
  }

  // Record tables made before change tracking get their zw_seq here, once, before any
  // route reads them (record_store.hpp); for tables that have it this only looks.
  void upgrade_record_tables(Platform& platform) {
    auto& db = platform.database();
    for (const auto& row : db.query("SELECT code FROM data_resources WHERE state = 'published' ORDER BY id")) {
      auto resource = store(platform).get(row.get<std::string>(0));
      if (!resource) continue;
      auto tx = db.begin();
      zhengwu::data::RecordStore(db, platform.clock()).ensure_tables(tx, resource->id, resource->spec.fields);
      tx.commit();
    }
  }

  void register_jobs_sharing(jobs::Scheduler& scheduler, Platform& platform) {
    // Applications past their due day go to the big-data centre; checked hourly, so an
    // application escalates within the first hour of the working day after its due day.
    scheduler.every("data.sharing.escalate", std::chrono::hours(1), [this, &platform] {
      for (const auto& a : sharing(platform).escalate_overdue())
        spdlog::info("sharing application {} ({} for {}) is past its due day {}: escalated to the big-data centre",
                     a.id, a.resource_code, a.consumer_org, format_date(a.due_on));
    });
    // The data-use ledger also catches up whenever someone lists it; this keeps the
    // projection short for them.
    scheduler.every("data.use.project", std::chrono::seconds(30), [this, &platform] { ledger(platform).catch_up(); });
  }

  void seed_demo(Platform& platform) override {
    zhengwu::data::seed_demo_catalog(store(platform));
    zhengwu::data::seed_demo_records(runner(platform), std::filesystem::path(platform.config().data_dir) / "imports");
    zhengwu::data::seed_demo_sharing(sharing(platform), platform.database(), platform.clock());
    // The demo's department roles edit their own catalog; the big-data centre reviews.
    auto& identity = platform.identity();
    zhengwu::data::register_catalog_permissions(identity);
    zhengwu::data::register_sharing_permissions(identity);
    const std::vector<std::pair<const char*, std::vector<const char*>>> extra{
        {"dept_clerk", {zhengwu::data::kCatalogRead, zhengwu::data::kCatalogEdit, zhengwu::data::kSharingApply}},
        {"dept_head",
         {zhengwu::data::kCatalogRead, zhengwu::data::kCatalogEdit, zhengwu::data::kSharingApply,
          zhengwu::data::kSharingReview}},
        {"data_officer",
         {zhengwu::data::kCatalogRead, zhengwu::data::kCatalogPublish, zhengwu::data::kSharingOversee}},
    };
    for (const auto& [code, permissions] : extra) {
      auto role = identity.role_by_code(code);
      if (!role) continue;  // the kernel demo did not make it
      std::vector<std::string> all(role->permissions.begin(), role->permissions.end());
      for (const char* p : permissions) all.emplace_back(p);
      if (auto updated = identity.set_role_permissions(role->id, all); !updated)
        throw std::runtime_error(std::string("demo: role ") + code + ": " + updated.error().message);
    }
    // Last: the quality page shows real numbers of the records seeded above.
    zhengwu::data::QualityAssessor(platform.database(), platform.clock(), platform.zone(), store(platform))
        .assess_all("demo");
    // After the records: 民政局 proposes other contact details for people of 公安局's register.
    zhengwu::data::seed_demo_discrepancies(platform.database(), platform.clock(), platform.zone(), store(platform));
    // Department systems read people's records (so that 我的数据使用记录 has entries) and
    // subscribe to the population register.
    zhengwu::data::seed_demo_exchange(platform.database(), platform.clock(), store(platform), sharing(platform),
                                      subscriptions(platform), platform.clients(), platform.audit());
    ledger(platform).catch_up();
  }

 private:
  zhengwu::data::CatalogStore& store(Platform& platform) {
    if (!store_) store_ = std::make_unique<CatalogStore>(platform.database(), platform.clock());
    return *store_;
  }
  zhengwu::data::ImportRunner& runner(Platform& platform) {
    if (!runner_) {
      auto resolver = zhengwu::data::AddressResolver::from_json(demo::hangzhou_divisions_json());
      if (resolver) addresses_ = std::make_unique<zhengwu::data::AddressResolver>(std::move(*resolver));
      runner_ = std::make_unique<zhengwu::data::ImportRunner>(platform.database(), platform.clock(), platform.zone(),
                                                              store(platform), addresses_.get());
    }
    return *runner_;
  }
  zhengwu::data::SharingStore& sharing(Platform& platform) {
    if (!sharing_)
      sharing_ = std::make_unique<zhengwu::data::SharingStore>(platform.database(), platform.clock(), platform.zone(),
                                                               store(platform), platform.calendar());
    return *sharing_;
  }
  zhengwu::data::DataUseLedger& ledger(Platform& platform) {
    if (!ledger_) ledger_ = std::make_unique<zhengwu::data::DataUseLedger>(platform.database(), platform.clock());
    return *ledger_;
  }
  zhengwu::data::SubscriptionStore& subscriptions(Platform& platform) {
    if (!subscriptions_)
      subscriptions_ = std::make_unique<zhengwu::data::SubscriptionStore>(
          platform.database(), platform.clock(), store(platform), sharing(platform), platform.secret_sealer());
    return *subscriptions_;
  }
  zhengwu::data::SubscriptionDelivery& delivery(Platform& platform) {
    if (!delivery_) {
      const auto policy = zhengwu::data::DeliveryPolicy::from_environment();
      transport_ = zhengwu::data::make_http_push_transport(policy.timeout, policy.ca_file);
      // A push leaves only after its audit record is durable (subscriptions.hpp).
      auto audit = [&platform](audit::Record record) -> Status {
        auto appended = platform.audit().append(std::move(record));
        if (!appended) return appended.error();
        return Status::success();
      };
      delivery_ = std::make_unique<zhengwu::data::SubscriptionDelivery>(
          platform.database(), platform.clock(), platform.zone(), store(platform), sharing(platform),
          platform.secret_sealer(), audit, *transport_, policy, platform.scheduler().node());
    }
    return *delivery_;
  }
  std::unique_ptr<CatalogStore> store_;
  std::unique_ptr<zhengwu::data::SubscriptionStore> subscriptions_;
  std::unique_ptr<zhengwu::data::PushTransport> transport_;
  std::unique_ptr<zhengwu::data::SubscriptionDelivery> delivery_;
  std::unique_ptr<zhengwu::data::SharingStore> sharing_;
  std::unique_ptr<zhengwu::data::DataUseLedger> ledger_;
  std::unique_ptr<zhengwu::data::AddressResolver> addresses_;
  std::unique_ptr<zhengwu::data::ImportRunner> runner_;
};

void print_error(std::ostream& err, const std::string& where, const Error& e) {
  err << where << ": " << e.message << "\n";
  if (e.fields.size() > 1)
    for (const auto& f : e.fields) err << "  " << f.field << ": " << f.message << "\n";
}

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<DataModule>(); }

int catalog_apply(Platform& platform, const std::string& path, std::ostream& out, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << path << ": cannot be read\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(text.str(), ec);
  if (ec) {
    err << path << ": not JSON (" << ec.message() << ")\n";
    return 2;
  }
  std::vector<json::value> items;
  if (doc.is_array()) {
    for (auto& v : doc.as_array()) items.push_back(v);
  } else {
    items.push_back(doc);
  }
  if (items.empty()) {
    err << path << ": the list is empty\n";
    return 1;
  }
  // Every resource is checked before any is applied.
  std::vector<ResourceSpec> specs;
  bool refused = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto spec = zhengwu::data::parse_resource_spec(items[i]);
    if (!spec) {
      print_error(err, path + " [" + std::to_string(i) + "]", spec.error());
      refused = true;
      continue;
    }
    specs.push_back(std::move(*spec));
  }
  if (refused) return 1;
  CatalogStore store(platform.database(), platform.clock());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    auto applied = store.apply(specs[i], "cli:catalog apply");
    if (!applied) {
      print_error(err, path + " [" + std::to_string(i) + "] " + specs[i].code, applied.error());
      return 1;
    }
    out << json::serialize(json::object{{"code", applied->code}, {"version", applied->version}}) << "\n";
    err << specs[i].code << ": " << zhengwu::data::to_string(applied->outcome) << ", version " << applied->version
        << ", " << zhengwu::data::to_string(applied->state) << "\n";
  }
  out.flush();
  return 0;
}


int import_file(Platform& platform, const std::string& resource, const std::string& path, const std::string& org,
                const std::string& encoding, std::ostream& out, std::ostream& err, bool progress) {
  using zhengwu::data::BatchState;
  using zhengwu::data::ImportBatch;
  auto enc = zhengwu::data::encoding_from(encoding);
  if (!enc) {
    err << "--encoding must be auto, utf-8 or gb18030\n";
    return 2;
  }
  CatalogStore catalog(platform.database(), platform.clock());
  auto resolver = zhengwu::data::AddressResolver::from_json(demo::hangzhou_divisions_json());
  zhengwu::data::ImportRunner runner(platform.database(), platform.clock(), platform.zone(), catalog,
                                     resolver ? &*resolver : nullptr);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const auto started = std::chrono::steady_clock::now();
  auto show = [&](const ImportBatch& b, std::uint64_t bytes) {
    if (!progress) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double rate = seconds > 0 ? static_cast<double>(b.records) / seconds : 0;
    const double done = size > 0 ? std::min(1.0, static_cast<double>(bytes) / static_cast<double>(size)) : 0;
    const double left = done > 0 ? seconds * (1 - done) / done : 0;
    const int filled = static_cast<int>(done * 30);
    char line[160];
    std::snprintf(line, sizeof line, "\r[%-30s] %3.0f%%  %lld rows  %.0f rows/s  %lld rejected  ETA %.0fs ",
                  std::string(static_cast<std::size_t>(filled), '#').c_str(), done * 100,
                  static_cast<long long>(b.records), rate, static_cast<long long>(b.rejected), left);
    err << line << std::flush;
  };
  // A run of the same resource and file that did not finish (killed) is resumed.
  const auto absolute = std::filesystem::absolute(path, ec).string();
  std::optional<std::int64_t> unfinished;
  if (auto r = catalog.get(resource)) {
    for (const auto& b : zhengwu::data::ImportBatches(platform.database(), platform.clock()).unfinished())
      if (b.resource_id == r->id && b.file_path == absolute) unfinished = b.id;
  }
  Result<ImportBatch> batch = Error{ErrorCode::internal, "not run", {}};
  if (unfinished) {
    err << "resuming import batch " << *unfinished << "\n";
    batch = runner.resume(*unfinished, show);
  } else {
    batch = runner.run({resource, path, "", "", *enc, org, "cli:import"}, show);
  }
  if (progress) err << "\n";
  if (!batch) {
    print_error(err, path, batch.error());
    return batch.error().code == ErrorCode::invalid ? 2 : 1;
  }
  err << "batch " << batch->id << ": " << batch->records << " records, " << batch->accepted << " accepted, "
      << batch->rejected << " rejected" << (batch->message.empty() ? "" : " — " + batch->message) << "\n";
  if (batch->rejected > 0) {
    for (const auto& r : zhengwu::data::ImportBatches(platform.database(), platform.clock()).rejects(batch->id, 0, 50, true))
      err << "  line " << r.line << ": " << r.errors << "\n";
    if (batch->rejected > 50) err << "  ... and " << batch->rejected - 50 << " more\n";
  }
  out << boost::json::serialize(
             boost::json::object{{"batch", batch->id}, {"accepted", batch->accepted}, {"rejected", batch->rejected}})
      << "\n";
  out.flush();
  return batch->state == BatchState::done ? 0 : 1;
}

int grant_add(Platform& platform, const std::string& resource, const std::string& org, const std::string& fields,
              const std::string& clear, const std::string& purpose, const std::string& until, std::ostream& out,
              std::ostream& err) {
  if (!platform.orgs().by_code(org)) {
    err << "--org: no organisation has the code " << org << "\n";
    return 2;
  }
  std::optional<TimePoint> valid_until;
  if (!until.empty()) {
    auto date = parse_date(until);
    if (!date) {
      err << "--until: must be a date YYYY-MM-DD\n";
      return 2;
    }
    // Valid through the whole day, in the platform's zone.
    valid_until = platform.zone().from_local(
        std::chrono::local_seconds((std::chrono::local_days(*date) + std::chrono::days(1)).time_since_epoch()));
  }
  CatalogStore catalog(platform.database(), platform.clock());
  zhengwu::data::SharingStore sharing(platform.database(), platform.clock(), platform.zone(), catalog,
                                      platform.calendar());
  auto grant = sharing.grant_directly(resource, org, http::comma_list(fields), http::comma_list(clear), purpose,
                                      valid_until, "cli:grant add");
  if (!grant) {
    const auto& e = grant.error();
    // Name the option: the store names the field as the API does.
    std::string option = e.fields.empty() ? "" : e.fields.front().field;
    if (option.rfind("clear_fields", 0) == 0) option = "--clear" + option.substr(12);
    else if (option.rfind("fields", 0) == 0) option = "--fields" + option.substr(6);
    else if (!option.empty()) option = "--" + option;
    err << (option.empty() ? "" : option + ": ") << (e.fields.empty() ? e.message : e.fields.front().message) << "\n";
    return 1;
  }
  audit::Record record;
  record.actor_kind = audit::ActorKind::system;
  record.actor_name = "cli:grant add";
  record.action = "sharing.grant";
  record.object_type = "grant";
  record.object_id = std::to_string(grant->id);
  record.source = "cli";
  record.purpose = purpose;
  record.details = json::serialize(json::object{{"resource", resource}, {"org", org}});
  if (auto appended = platform.audit().append(record); !appended)
    err << "warning: the audit record of grant " << grant->id << " could not be written: " << appended.error().message
        << "\n";
  out << zhengwu::data::grant_json_text(*grant, platform.orgs(), platform.zone(), platform.clock().now()) << "\n";
  out.flush();
  return 0;
}

}  // namespace zhengwu::modules::data
