// The demo's records (归集): a few hundred generated Hangzhou residents and enterprises in
// the published demo resources, imported the way a department imports them (one batch
// per resource, submitted by its provider), so that the catalog, quality, exchange and
// data-use pages show real rows. The generator is deterministic: every `./zw demo` seeds
// the same people, including the demo citizens 张三 (zhangsan) and 李四 (lisi) and the
// demo enterprise 杭州西湖数智科技有限公司 (xihu.tech).
#pragma once

#include <filesystem>

#include "modules/data/import_run.hpp"

namespace zhengwu::data {

// Writes the demo files into `scratch` (created if missing; the files are removed after
// their batch ran) and imports them. Throws std::runtime_error when a batch does not run
// or rejects a row: the demo must not half-seed.
void seed_demo_records(ImportRunner& runner, const std::filesystem::path& scratch);

}  // namespace zhengwu::data
