// Requests that are not valid UTF-8 get an answer.
//
// xeus parses each incoming message with nlohmann/json, which rejects bytes that are not UTF-8
// (e.g. `ED A0 80`, a UTF-8-encoded surrogate, or `FF`): xeus logs the parse error and drops the
// message, so a client waits forever for the reply and the idle status. The parsing happens
// inside libxeus, with no hook, on frames read through libzmq's zmq_msg_recv. The kernel
// therefore defines zmq_msg_recv itself (wire_guard.cpp; the dynamic linker binds libxeus's calls
// to the executable's definition) and forwards to libzmq's. When a message's JSON frames hold
// bytes that are not UTF-8, and its signature is valid, each such byte becomes '?' (same
// length: the frames keep their ZMQ flags), the message is signed again with the session key,
// and for an execute_request its msg_id is remembered: the interpreter answers it with an error
// instead of running the altered code.
#ifndef XAG_KERNEL_WIRE_GUARD_HPP
#define XAG_KERNEL_WIRE_GUARD_HPP

#include <string>

namespace xag {

/// Starts checking incoming messages, which are signed with `scheme` (e.g. "hmac-sha256") and
/// `key` (the connection file's). Before this call messages pass unchanged.
void install_wire_guard(const std::string& scheme, const std::string& key);

/// For an execute_request `msg_id` that arrived with invalid UTF-8: the offending bytes, as
/// text ("ED A0 80, FF"), forgotten once taken. Empty for every other request.
std::string take_invalid_utf8(const std::string& msg_id);

}  // namespace xag

#endif
