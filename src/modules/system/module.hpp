// modules/system: what this server is — version, build, database kind, time and zone
// from the Clock, uptime, modules. The smallest complete module, kept as the example
// every other module copies (docs/architecture.md walks through it).
#pragma once

#include <memory>

#include "kernel/module.hpp"

namespace zhengwu::modules::system {

std::unique_ptr<Module> make_module();

}  // namespace zhengwu::modules::system
