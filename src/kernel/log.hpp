// Structured logs on stderr through spdlog: text for people, or JSON lines
// (`log.format = "json"`) for collectors. stdout stays free for command output.
#pragma once

#include "kernel/config.hpp"

namespace zhengwu {
void configure_logging(const LogConfig& config);
}
