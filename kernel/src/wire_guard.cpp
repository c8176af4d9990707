#include "wire_guard.hpp"

#include <dlfcn.h>
#include <zmq.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "nlohmann/json.hpp"
#include "xeus/xauthentication.hpp"

namespace nl = nlohmann;

namespace xag {
namespace {

using recv_fn = int (*)(zmq_msg_t*, void*, int);

constexpr const char kDelimiter[] = "<IDS|MSG>";
constexpr std::size_t kDelimiterSize = sizeof(kDelimiter) - 1;
// Frames after the delimiter: signature, header, parent header, metadata, content.
constexpr std::size_t kSignedFrames = 5;
constexpr std::size_t kMaxReported = 8;

std::mutex g_mutex;
std::atomic<bool> g_installed{false};
std::unique_ptr<xeus::xauthentication> g_auth;               // null: not installed
std::unordered_map<void*, std::deque<zmq_msg_t>> g_pending;  // frames read ahead, per socket
std::map<std::string, std::string> g_refused;                // msg_id -> the bad bytes

recv_fn real_recv() {
  static const recv_fn fn = reinterpret_cast<recv_fn>(dlsym(RTLD_NEXT, "zmq_msg_recv"));
  return fn;
}

// Length of the well-formed UTF-8 sequence at p (RFC 3629: no surrogates, no overlong forms,
// nothing above U+10FFFF), or 0 when the bytes there are not one.
std::size_t utf8_sequence(const unsigned char* p, std::size_t n) {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n < len || p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i < len; ++i) {
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  }
  return len;
}

bool is_continuation(unsigned char c) {
  return c >= 0x80 && c <= 0xBF;
}

// Replaces every byte of each ill-formed sequence in the frame with '?'; appends the sequences
// (in hex) to `found`. Returns whether anything was replaced.
bool sanitize(zmq_msg_t& frame, std::vector<std::string>& found) {
  auto* p = static_cast<unsigned char*>(zmq_msg_data(&frame));
  const std::size_t n = zmq_msg_size(&frame);
  bool changed = false;
  for (std::size_t i = 0; i < n;) {
    const std::size_t len = utf8_sequence(p + i, n - i);
    if (len > 0) {
      i += len;
      continue;
    }
    // The bad lead byte and the continuation bytes that follow it: one reported sequence.
    std::size_t end = i + 1;
    while (end < n && end - i < 4 && is_continuation(p[end])) ++end;
    std::string hex;
    for (std::size_t k = i; k < end; ++k) {
      static const char digits[] = "0123456789ABCDEF";
      if (!hex.empty()) hex += ' ';
      hex += digits[p[k] >> 4];
      hex += digits[p[k] & 0xF];
      p[k] = '?';
    }
    if (found.size() < kMaxReported) found.push_back(hex);
    changed = true;
    i = end;
  }
  return changed;
}

xeus::xraw_buffer raw(zmq_msg_t& frame) {
  return xeus::xraw_buffer(static_cast<const unsigned char*>(zmq_msg_data(&frame)),
                           zmq_msg_size(&frame));
}

// Checks the signed frames of one message (`rest`: everything after the delimiter) and repairs
// them as the header comment describes. Called with g_mutex held.
void repair(std::vector<zmq_msg_t>& rest) {
  if (!g_auth || rest.size() < kSignedFrames) return;
  zmq_msg_t& signature = rest[0];
  // Sanitizing works on copies of the bytes first: a message whose signature does not verify
  // is passed on unchanged (xeus rejects it), never re-signed.
  bool valid = true;
  for (std::size_t i = 1; i < kSignedFrames && valid; ++i) {
    const auto* p = static_cast<const unsigned char*>(zmq_msg_data(&rest[i]));
    const std::size_t n = zmq_msg_size(&rest[i]);
    for (std::size_t k = 0; k < n;) {
      const std::size_t len = utf8_sequence(p + k, n - k);
      if (len == 0) {
        valid = false;
        break;
      }
      k += len;
    }
  }
  if (valid) return;
  if (!g_auth->verify(raw(signature), raw(rest[1]), raw(rest[2]), raw(rest[3]), raw(rest[4]))) {
    return;
  }
  std::vector<std::string> found;
  for (std::size_t i = 1; i < kSignedFrames; ++i) sanitize(rest[i], found);
  const std::string fresh = g_auth->sign(raw(rest[1]), raw(rest[2]), raw(rest[3]), raw(rest[4]));
  if (fresh.size() != zmq_msg_size(&signature)) return;  // cannot happen for one scheme
  std::memcpy(zmq_msg_data(&signature), fresh.data(), fresh.size());

  const auto* h = static_cast<const char*>(zmq_msg_data(&rest[1]));
  const nl::json header = nl::json::parse(h, h + zmq_msg_size(&rest[1]), nullptr, false);
  if (!header.is_object() || header.value("msg_type", "") != "execute_request") return;
  std::string text;
  for (const std::string& s : found) text += (text.empty() ? "" : ", ") + s;
  g_refused[header.value("msg_id", "")] = text;
}

// Reads the remaining frames of a multipart message that has begun (they are all there: ZMQ
// delivers a message's parts together).
int read_rest(recv_fn recv, void* socket, std::vector<zmq_msg_t>& rest) {
  for (;;) {
    zmq_msg_t part;
    zmq_msg_init(&part);
    int rc;
    do {
      rc = recv(&part, socket, 0);
    } while (rc < 0 && zmq_errno() == EINTR);
    if (rc < 0) {
      zmq_msg_close(&part);
      return rc;
    }
    rest.push_back(part);
    if (!zmq_msg_more(&rest.back())) return 0;
  }
}

int guarded_recv(zmq_msg_t* msg, void* socket, int flags) {
  const recv_fn recv = real_recv();
  {
    // Never held while waiting in recv: other threads receive on their own sockets meanwhile.
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_pending.find(socket);
    if (it != g_pending.end() && !it->second.empty()) {
      zmq_msg_t& front = it->second.front();
      zmq_msg_move(msg, &front);
      zmq_msg_close(&front);
      it->second.pop_front();
      return static_cast<int>(zmq_msg_size(msg));
    }
  }
  const int rc = recv(msg, socket, flags);
  if (!g_installed.load(std::memory_order_acquire)) return rc;
  if (rc != static_cast<int>(kDelimiterSize) || !zmq_msg_more(msg) ||
      std::memcmp(zmq_msg_data(msg), kDelimiter, kDelimiterSize) != 0) {
    return rc;
  }
  std::vector<zmq_msg_t> rest;
  const int rest_rc = read_rest(recv, socket, rest);
  std::lock_guard<std::mutex> lock(g_mutex);
  if (rest_rc == 0) repair(rest);
  std::deque<zmq_msg_t>& queue = g_pending[socket];
  for (zmq_msg_t& part : rest) queue.push_back(part);
  return rc;
}

}  // namespace

void install_wire_guard(const std::string& scheme, const std::string& key) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_auth = xeus::make_xauthentication(scheme, key);
  g_installed.store(true, std::memory_order_release);
}

std::string take_invalid_utf8(const std::string& msg_id) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = g_refused.find(msg_id);
  if (it == g_refused.end()) return "";
  std::string text = std::move(it->second);
  g_refused.erase(it);
  return text;
}

}  // namespace xag

// The executable's definition wins over libzmq's for every caller in the process, libxeus
// included (see wire_guard.hpp).
extern "C" int zmq_msg_recv(zmq_msg_t* msg, void* socket, int flags) {
  return xag::guarded_recv(msg, socket, flags);
}
