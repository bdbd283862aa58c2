// The published holiday arrangements for the years this release knows, transcribed from
// the State Council General Office's notices (国务院办公厅关于部分节假日安排的通知).
// Each is the same TOML an operator would import; a unit test parses every one and
// checks it against the notice, day by day.
#include "kernel/calendar/shipped_years.hpp"

#include <array>

namespace zhengwu::calendar {

namespace {

// 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号).
constexpr std::string_view kYear2025 = R"toml(
year = 2025

[[holiday]]
name = "元旦"
dates = ["2025-01-01"]

[[holiday]]
name = "春节"
from = "2025-01-28"
to = "2025-02-04"

[[holiday]]
name = "清明节"
from = "2025-04-04"
to = "2025-04-06"

[[holiday]]
name = "劳动节"
from = "2025-05-01"
to = "2025-05-05"

[[holiday]]
name = "端午节"
from = "2025-05-31"
to = "2025-06-02"

[[holiday]]
name = "国庆节、中秋节"
from = "2025-10-01"
to = "2025-10-08"

[[workday]]
name = "春节调休"
dates = ["2025-01-26", "2025-02-08"]

[[workday]]
name = "劳动节调休"
dates = ["2025-04-27"]

[[workday]]
name = "国庆节、中秋节调休"
dates = ["2025-09-28", "2025-10-11"]
)toml";

// 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号).
constexpr std::string_view kYear2026 = R"toml(
year = 2026

[[holiday]]
name = "元旦"
from = "2026-01-01"
to = "2026-01-03"

[[holiday]]
name = "春节"
from = "2026-02-15"
to = "2026-02-23"

[[holiday]]
name = "清明节"
from = "2026-04-04"
to = "2026-04-06"

[[holiday]]
name = "劳动节"
from = "2026-05-01"
to = "2026-05-05"

[[holiday]]
name = "端午节"
from = "2026-06-19"
to = "2026-06-21"

[[holiday]]
name = "中秋节"
from = "2026-09-25"
to = "2026-09-27"

[[holiday]]
name = "国庆节"
from = "2026-10-01"
to = "2026-10-07"

[[workday]]
name = "元旦调休"
dates = ["2026-01-04"]

[[workday]]
name = "春节调休"
dates = ["2026-02-14", "2026-02-28"]

[[workday]]
name = "劳动节调休"
dates = ["2026-05-09"]

[[workday]]
name = "国庆节调休"
dates = ["2026-09-20", "2026-10-10"]
)toml";

constexpr std::array kShipped = {
    ShippedYear{2025, "shipped: 国办发明电〔2024〕12号", kYear2025},
    ShippedYear{2026, "shipped: 国办发明电〔2025〕7号", kYear2026},
};

}  // namespace

std::span<const ShippedYear> shipped_years() { return kShipped; }

}  // namespace zhengwu::calendar
