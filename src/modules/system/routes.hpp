// HTTP routes of the system module.
#pragma once

namespace zhengwu {
class Platform;
namespace http {
class Router;
}
}  // namespace zhengwu

namespace zhengwu::modules::system {
void add_routes(http::Router& router, Platform& platform);
}
