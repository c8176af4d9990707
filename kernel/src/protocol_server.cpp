#include "protocol_server.hpp"

#include <utility>

#include "interrupt_guard.hpp"
#include "xeus/xserver_shell_main.hpp"

namespace xag {
namespace {

xeus::xmessage with_content(xeus::xmessage&& msg, nl::json content) {
  nl::json header = msg.header();
  nl::json parent_header = msg.parent_header();
  nl::json metadata = msg.metadata();
  xeus::xmessage::guid_list identities = msg.identities();
  xeus::buffer_sequence buffers = std::move(msg).buffers();
  return xeus::xmessage(identities, std::move(header), std::move(parent_header),
                        std::move(metadata), std::move(content), std::move(buffers));
}

xeus::xmessage fix_stdin_message(xeus::xmessage&& msg) {
  if (msg.header().value("msg_type", "") != "input_request") return std::move(msg);
  const nl::json& content = msg.content();
  if (content.contains("password")) return std::move(msg);
  nl::json fixed = content;
  fixed["password"] = content.value("pwd", false);
  return with_content(std::move(msg), std::move(fixed));
}

// shutdown_reply: xeus sends only `restart`; the spec (and ipykernel) also have `status`.
xeus::xmessage fix_reply(xeus::xmessage&& msg) {
  if (msg.header().value("msg_type", "") != "shutdown_reply") return std::move(msg);
  const nl::json& content = msg.content();
  if (content.contains("status")) return std::move(msg);
  nl::json fixed = content;
  fixed["status"] = "ok";
  return with_content(std::move(msg), std::move(fixed));
}

// Forwards everything to the wrapped server; listeners registered on this object receive what
// the wrapped server receives.
class protocol_server final : public xeus::xserver {
 public:
  explicit protocol_server(std::unique_ptr<xeus::xserver> inner) : p_inner(std::move(inner)) {
    p_inner->register_shell_listener([this](xeus::xmessage msg) { on_shell(std::move(msg)); });
    p_inner->register_control_listener(
        [this](xeus::xmessage msg) { notify_control_listener(std::move(msg)); });
    p_inner->register_stdin_listener(
        [this](xeus::xmessage msg) { notify_stdin_listener(std::move(msg)); });
    p_inner->register_internal_listener(
        [this](nl::json msg) { return notify_internal_listener(std::move(msg)); });
  }

 private:
  // Runs on the main thread, before the kernel core publishes "busy" for the request.
  void on_shell(xeus::xmessage msg) {
    if (msg.header().value("msg_type", "") == "execute_request") drop_idle_interrupts();
    notify_shell_listener(std::move(msg));
  }

  xeus::xcontrol_messenger& get_control_messenger_impl() override {
    return p_inner->get_control_messenger();
  }
  void send_shell_impl(xeus::xmessage msg) override {
    p_inner->send_shell(fix_reply(std::move(msg)));
  }
  void send_control_impl(xeus::xmessage msg) override {
    p_inner->send_control(fix_reply(std::move(msg)));
  }
  void send_stdin_impl(xeus::xmessage msg) override {
    p_inner->send_stdin(fix_stdin_message(std::move(msg)));
  }
  void publish_impl(xeus::xpub_message msg, xeus::channel c) override {
    p_inner->publish(std::move(msg), c);
  }
  void start_impl(xeus::xpub_message msg) override { p_inner->start(std::move(msg)); }
  void abort_queue_impl(const listener& l, long polling_interval) override {
    p_inner->abort_queue(l, polling_interval);
  }
  void stop_impl() override { p_inner->stop(); }
  void update_config_impl(xeus::xconfiguration& config) const override {
    p_inner->update_config(config);
  }

  std::unique_ptr<xeus::xserver> p_inner;
};

}  // namespace

std::unique_ptr<xeus::xserver> make_protocol_server(xeus::xcontext& context,
                                                    const xeus::xconfiguration& config,
                                                    nl::json::error_handler_t eh) {
  return std::make_unique<protocol_server>(xeus::make_xserver_shell_main(context, config, eh));
}

}  // namespace xag
