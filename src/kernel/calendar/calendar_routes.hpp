// The HTTP API of the working-day calendar (tag "calendar").
//
//   GET /api/calendar/add-working-days?from=DATE&days=N  {"date", "provisional"}
//   GET /api/calendar/working-days?from=DATE&to=DATE     {"days", "provisional"}
//   GET /api/calendar/days/{date}                        {"date", "working", "kind", "name"?, "provisional"}
//   GET /api/calendar/years                              {"items": [{"year", "source", "loaded_at", "holidays", "workdays"}]}
//   GET /api/calendar/years/{year}                       the year in the JSON calendar format (calendar_file.hpp)
//   PUT /api/calendar/years/{year}                       replaces the year; permission calendar.manage
//
// `{"date": ...}` of add-working-days is a contract other services rely on. A missing or
// malformed parameter is a 400 problem whose error names the parameter (`from`, `days`,
// `to`, `date`, `year`); an answer that touched a year not loaded has provisional true.
#pragma once

#include "kernel/calendar/calendar_store.hpp"
#include "kernel/http/router.hpp"

namespace zhengwu::calendar {

// Adds the routes above. The handlers keep a reference to `store`, which must outlive
// the router.
void add_calendar_routes(http::Router& router, CalendarStore& store);

}  // namespace zhengwu::calendar
