// Loading and creating the platform master key and the SM2 audit-signing key (GB/T
// 32918); purpose keys by HMAC-SM3 (RFC 2104, GB/T 32905-2016). See master_key.hpp for
// the sources, their order and the promises about file modes.
//
// Secret files are read through one open file descriptor whose fstat decides (so the
// mode checked is the mode of the file read), and created by writing a private
// temporary file in the same directory, fsyncing it, and publishing it with link(2),
// which never replaces an existing file. Buffers that held key material are erased
// with OPENSSL_cleanse.
#include "kernel/crypto/master_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace zhengwu::crypto {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

// Erases a string or byte buffer when the scope ends.
template <class Buffer>
struct Erase {
  Buffer& buffer;
  ~Erase() { OPENSSL_cleanse(buffer.data(), buffer.size()); }
};
template <class Buffer>
Erase(Buffer&) -> Erase<Buffer>;

Error internal(std::string message) { return Error{ErrorCode::internal, std::move(message), {}}; }
Error invalid(std::string message) { return Error{ErrorCode::invalid, std::move(message), {}}; }

std::string errno_text(int err) { return std::strerror(err); }

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// Reads a secret file, refusing anything but a regular file private to its owner.
// nullopt-like signalling of absence: ErrorCode::not_found when the file does not exist.
Result<std::string> read_secret_file(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT) return Error::not_found("no file " + path.string());
    return internal("cannot open key file " + path.string() + ": " + errno_text(err));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return internal("cannot stat key file " + path.string() + ": " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) return invalid("key file " + path.string() + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    return Error{ErrorCode::forbidden,
                 "key file " + path.string() + " is accessible to group or others (mode " + octal_mode(st.st_mode) +
                     "); restrict it with: chmod 600 " + path.string(),
                 {}};
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxSecretFileBytes) {
    return invalid("key file " + path.string() + " is too large to be a key");
  }
  std::string content;
  content.resize(kMaxSecretFileBytes + 1);
  std::size_t got = 0;
  while (got < content.size()) {
    ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      OPENSSL_cleanse(content.data(), content.size());
      return internal("cannot read key file " + path.string() + ": " + errno_text(err));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > kMaxSecretFileBytes) {
    OPENSSL_cleanse(content.data(), content.size());
    return invalid("key file " + path.string() + " is too large to be a key");
  }
  OPENSSL_cleanse(content.data() + got, content.size() - got);
  content.resize(got);
  return content;
}

// Creates `dir` (and parents) when absent; a directory this call creates gets mode 0700.
Status ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return Status::success();
  fs::path parent = dir.parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) return internal("cannot create directory " + parent.string() + ": " + ec.message());
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return internal("cannot create directory " + dir.string() + ": " + errno_text(errno));
  }
  if (!fs::is_directory(dir, ec)) return internal(dir.string() + " is not a directory");
  return Status::success();
}

bool write_all(int fd, std::string_view data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

enum class Publish { created, already_existed };

// Writes `content` to `path` with mode 0600 unless `path` already exists. The file
// appears complete or not at all.
Result<Publish> create_secret_file(const fs::path& path, std::string_view content) {
  if (auto st = ensure_private_dir(path.parent_path()); !st) return st.error();
  fs::path temp = path;
  temp += "." + to_hex(random_bytes(8)) + ".tmp";
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) return internal("cannot create key file " + temp.string() + ": " + errno_text(errno));
  auto discard = [&](const std::string& what) {
    int err = errno;
    ::unlink(temp.c_str());
    return internal("cannot write key file " + temp.string() + ": " + what + ": " + errno_text(err));
  };
  // The umask can only remove bits, but set the mode explicitly all the same.
  if (::fchmod(fd.get(), 0600) != 0) return discard("chmod");
  if (!write_all(fd.get(), content)) return discard("write");
  if (::fsync(fd.get()) != 0) return discard("fsync");
  if (::close(fd.release()) != 0) return discard("close");

  Publish result = Publish::created;
  if (::link(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    if (err != EEXIST) return internal("cannot create key file " + path.string() + ": " + errno_text(err));
    result = Publish::already_existed;
  } else {
    ::unlink(temp.c_str());
  }
  // Make the new directory entry durable.
  Fd dir(::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return result;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

Result<Bytes> parse_key_text(std::string_view text) {
  text = trim(text);
  if (text.size() == 2 * MasterKey::kBytes) {
    auto hex = from_hex(text);
    if (hex) return hex;
  } else {
    auto b64 = from_base64(text);
    if (b64 && b64->size() == MasterKey::kBytes) return b64;
    if (b64) OPENSSL_cleanse(b64->data(), b64->size());
  }
  return invalid("the master key must be 32 bytes, written as 64 hex digits or as base64");
}

std::optional<std::string> env(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace

MasterKeySource MasterKeySource::from_environment(fs::path data_dir) {
  return MasterKeySource{env(kMasterKeyFileEnv), env(kMasterKeyEnv), std::move(data_dir)};
}

MasterKey::MasterKey(MasterKey&& other) noexcept : key_(other.key_), origin_(std::move(other.origin_)) {
  OPENSSL_cleanse(other.key_.data(), other.key_.size());
}

MasterKey& MasterKey::operator=(MasterKey&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    origin_ = std::move(other.origin_);
    OPENSSL_cleanse(other.key_.data(), other.key_.size());
  }
  return *this;
}

MasterKey::~MasterKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

Result<MasterKey> MasterKey::from_text(std::string_view text) {
  auto bytes = parse_key_text(text);
  if (!bytes) return bytes.error();
  Erase erase{*bytes};
  MasterKey key;
  std::copy(bytes->begin(), bytes->end(), key.key_.begin());
  key.origin_ = "text";
  return key;
}

Result<MasterKey> MasterKey::load(const MasterKeySource& source) {
  auto from_file_content = [](std::string& content, const fs::path& path) -> Result<MasterKey> {
    Erase erase{content};
    if (content.size() == kBytes) {
      MasterKey key;
      std::copy(content.begin(), content.end(), key.key_.begin());
      return key;
    }
    auto key = from_text(content);
    if (!key) return invalid("key file " + path.string() + ": " + key.error().message);
    return key;
  };

  if (source.key_file) {
    fs::path path = *source.key_file;
    auto content = read_secret_file(path);
    if (!content) {
      if (content.error().code == ErrorCode::not_found) {
        return internal(std::string(kMasterKeyFileEnv) + " names " + path.string() + ", which does not exist");
      }
      return content.error();
    }
    auto key = from_file_content(*content, path);
    if (key) key->origin_ = "file " + path.string();
    return key;
  }

  if (source.key_text) {
    auto key = from_text(*source.key_text);
    if (!key) return invalid(std::string(kMasterKeyEnv) + ": " + key.error().message);
    key->origin_ = "environment " + std::string(kMasterKeyEnv);
    return key;
  }

  fs::path path = source.data_dir / "keys" / "master.key";
  auto content = read_secret_file(path);
  if (content) {
    auto key = from_file_content(*content, path);
    if (key) key->origin_ = "file " + path.string();
    return key;
  }
  if (content.error().code != ErrorCode::not_found) return content.error();

  Bytes fresh = random_bytes(kBytes);
  Erase erase_fresh{fresh};
  std::string text = to_hex(fresh) + "\n";
  Erase erase_text{text};
  auto published = create_secret_file(path, text);
  if (!published) return published.error();
  if (*published == Publish::already_existed) {
    // Another process created it first: use theirs.
    auto theirs = read_secret_file(path);
    if (!theirs) return theirs.error();
    auto key = from_file_content(*theirs, path);
    if (key) key->origin_ = "file " + path.string();
    return key;
  }
  MasterKey key;
  std::copy(fresh.begin(), fresh.end(), key.key_.begin());
  key.origin_ = "created " + path.string();
  return key;
}

Bytes MasterKey::derive(std::string_view purpose) const {
  return hmac_sm3(std::string_view(reinterpret_cast<const char*>(key_.data()), key_.size()), purpose);
}

Result<Sm2PrivateKey> load_or_create_audit_signing_key(const fs::path& data_dir) {
  fs::path path = data_dir / "keys" / "audit-sm2.pem";
  auto load = [&path](std::string& pem) -> Result<Sm2PrivateKey> {
    Erase erase{pem};
    auto key = Sm2PrivateKey::from_pem(pem);
    if (!key) return invalid("audit signing key " + path.string() + ": " + key.error().message);
    return key;
  };

  auto content = read_secret_file(path);
  if (content) return load(*content);
  if (content.error().code != ErrorCode::not_found) return content.error();

  Sm2PrivateKey fresh = Sm2PrivateKey::generate();
  std::string pem = fresh.to_pem();
  Erase erase{pem};
  auto published = create_secret_file(path, pem);
  if (!published) return published.error();
  if (*published == Publish::created) return fresh;
  auto theirs = read_secret_file(path);
  if (!theirs) return theirs.error();
  return load(*theirs);
}

}  // namespace zhengwu::crypto
