// modules/data: the data platform (六(一)3, 六(二) of the plan) — the catalog of data
// resources with Chinese full-text search, and the operators' `zhengwu catalog apply`.
// Collection, one-data-one-source, quality, sharing, the exchange API and the data-use
// record build on it.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "kernel/module.hpp"

namespace zhengwu {
class Platform;
}

namespace zhengwu::modules::data {

std::unique_ptr<Module> make_module();

// `zhengwu catalog apply FILE` (DESIGN.md): reads one resource object or a list, checks
// every one before applying any, then applies them in order and prints `{code, version}`
// per resource as a JSON line on `out`; problems go to `err` with the resource's index
// and each field's JSON path. Returns the exit code: 0 applied, 1 refused (nothing of a
// refused resource is stored; resources before it in the list stay applied), 2 the file
// cannot be read or is not JSON.
int catalog_apply(Platform& platform, const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace zhengwu::modules::data
