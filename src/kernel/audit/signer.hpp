// The key that signs audit checkpoints.
//
// GB/T 22239-2019 asks that audit records be protected against modification; the hash
// chain alone does not stop someone with write access from recomputing every hash after
// a change. A checkpoint signed with a key the database does not hold does: rewriting the
// chain up to a checkpoint would need that key. The platform plugs in its SM2 key
// (GB/T 32918); tests use an HMAC-SM3 signer.
//
// What is signed is `checkpoint_message(seq, hash, time_ms)`. `sign` must return text
// (hex or base64), since it is stored in a TEXT column of both databases.
//
// Ownership: whoever builds an AuditLog or calls verify_chain keeps the Signer alive for
// as long as they use it. Thread-safety: an AuditLog calls `sign` from its writer thread
// only; `verify` is called by the thread running verify_chain. An implementation shared
// by several logs or verifications must be safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zhengwu::audit {

class Signer {
 public:
  virtual ~Signer() = default;
  virtual std::string sign(std::string_view data) = 0;
  virtual bool verify(std::string_view data, std::string_view signature) = 0;
  // Names the key (e.g. its fingerprint), stored with each checkpoint.
  virtual std::string key_id() const = 0;
};

// "zhengwu-audit-checkpoint-v1|<seq>|<hash>|<time_ms>": the seq and hash of the
// checkpointed record and the checkpoint's own time, behind a prefix that keeps a
// signature on it from being valid for anything else the platform key signs.
std::string checkpoint_message(std::int64_t seq, std::string_view hash, std::int64_t time_ms);

}  // namespace zhengwu::audit
