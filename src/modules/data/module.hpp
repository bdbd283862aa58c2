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

// `zhengwu import RESOURCE FILE [--org ORG_CODE] [--encoding auto|utf-8|gb18030]`
// (DESIGN.md): CSV with a header row, or JSON Lines when the file ends in .jsonl. An
// unfinished batch of the same resource and file (a run that was killed) is resumed
// after its last committed line instead of starting again. With `progress` a bar on
// `err` shows rows/s and the time left; the last line on `out` is
// {"batch", "accepted", "rejected"}. Returns 0 when the batch ran (rejected records or
// not), 1 when it failed or could not start, 2 for bad arguments.
int import_file(Platform& platform, const std::string& resource, const std::string& path, const std::string& org,
                const std::string& encoding, std::ostream& out, std::ostream& err, bool progress);

// `zhengwu grant add --resource CODE --org ORG_CODE --fields F1,F2 [--clear F1]
// --purpose TEXT [--until DATE]` (DESIGN.md): the operator's direct grant beside the
// application flow, valid through DATE (platform zone) or until revoked; audited as
// "sharing.grant". Prints the grant as JSON on `out`. Returns 0 granted, 1 refused (the
// reason on `err`, naming the option), 2 bad arguments.
int grant_add(Platform& platform, const std::string& resource, const std::string& org, const std::string& fields,
              const std::string& clear, const std::string& purpose, const std::string& until, std::ostream& out,
              std::ostream& err);

}  // namespace zhengwu::modules::data
