// The cost of one login: argon2id (RFC 9106) hashing and verification at the production
// parameters (64 MiB, 3 passes, 1 lane: OWASP's first recommendation) and at OWASP's
// minimum (19 MiB, 2 passes, 1 lane), the unknown-user path that must cost the same,
// and TOTP (RFC 6238) verification for the second factor, for scale.
//
// One argon2id evaluation holds m_cost of memory for its whole duration, so the time
// per verification times the login rate gives the CPU cores needed, and the number of
// logins in flight times m_cost gives the memory: both follow from these numbers.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "kernel/auth/password.hpp"
#include "kernel/auth/totp.hpp"

namespace {

using zhengwu::auth::Argon2Params;

Argon2Params params_of(const benchmark::State& state) {
  return Argon2Params{static_cast<std::uint32_t>(state.range(1)), static_cast<std::uint32_t>(state.range(0)),
                      static_cast<std::uint32_t>(state.range(2))};
}

void label(benchmark::State& state) {
  state.SetLabel(std::to_string(state.range(0) / 1024) + " MiB, t=" + std::to_string(state.range(1)) +
                 ", p=" + std::to_string(state.range(2)));
}

void BM_Argon2idHash(benchmark::State& state) {
  const Argon2Params params = params_of(state);
  for (auto _ : state) benchmark::DoNotOptimize(zhengwu::auth::hash_password("Correct-Horse-42", params));
  label(state);
}

void BM_Argon2idVerify(benchmark::State& state) {
  const Argon2Params params = params_of(state);
  const std::string encoded = zhengwu::auth::hash_password("Correct-Horse-42", params);
  for (auto _ : state) benchmark::DoNotOptimize(zhengwu::auth::verify_password("Correct-Horse-41", encoded));
  label(state);
}

// The unknown-user branch of a login; should match BM_Argon2idVerify.
void BM_Argon2idDummyVerify(benchmark::State& state) {
  const Argon2Params params = params_of(state);
  for (auto _ : state) zhengwu::auth::dummy_verify("Correct-Horse-41", params);
  label(state);
}

// Production: 64 MiB, t=3, p=1. OWASP's minimum: 19 MiB (19456 KiB), t=2, p=1. Each
// evaluation takes tens of milliseconds, so a few iterations give a stable mean.
void argon2_cases(benchmark::internal::Benchmark* b) {
  b->ArgNames({"m_KiB", "t", "p"})->Args({65536, 3, 1})->Args({19456, 2, 1});
  b->Unit(benchmark::kMillisecond)->Iterations(10);
}

BENCHMARK(BM_Argon2idHash)->Apply(argon2_cases);
BENCHMARK(BM_Argon2idVerify)->Apply(argon2_cases);
BENCHMARK(BM_Argon2idDummyVerify)->Apply(argon2_cases);

// A 6-digit code checked against the ±1 window: three HMAC-SHA1 computations.
void BM_TotpVerify(benchmark::State& state) {
  const zhengwu::auth::Bytes secret = zhengwu::auth::new_totp_secret();
  const zhengwu::TimePoint now{std::chrono::seconds{1760000000}};
  const std::string code = zhengwu::auth::totp_code(secret, now);
  std::int64_t last_used = 0;
  for (auto _ : state) {
    auto check = zhengwu::auth::verify_totp(secret, code, now, 1, last_used);
    benchmark::DoNotOptimize(check);
  }
}
BENCHMARK(BM_TotpVerify)->Unit(benchmark::kMicrosecond);

}  // namespace
