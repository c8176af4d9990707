// History requests answered from IPython's own history (what ipykernel does).
//
// xeus's in-memory manager returns flat entries and numbers every line "1" (xeus 2.4.1 stores
// `execution_count` from the request, which clients never send). The XPythonShell under
// xeus-python already records every cell it runs with store_history=True in its
// IPython.core.history.HistoryManager (inputs, and outputs through the display hook), with real
// session and line numbers. This class answers from there, so replies have ipykernel's shape:
// `[session, line, input]`, or `[session, line, [input, output]]` when `output` is true.
#ifndef XAG_KERNEL_HISTORY_MANAGER_HPP
#define XAG_KERNEL_HISTORY_MANAGER_HPP

#include <memory>
#include <string>

#include "nlohmann/json.hpp"
#include "xeus/xhistory_manager.hpp"

namespace xag {

class history_manager final : public xeus::xhistory_manager {
 public:
  history_manager() = default;

 private:
  void configure_impl() override;
  // xeus calls this after each execute_request; IPython has already stored the cell.
  void store_inputs_impl(int session, int line_num, const std::string& input,
                         const std::string& output) override;
  nl::json get_tail_impl(int n, bool raw, bool output) const override;
  nl::json get_range_impl(int session, int start, int stop, bool raw, bool output) const override;
  nl::json search_impl(const std::string& pattern, bool raw, bool output, int n,
                       bool unique) const override;
};

std::unique_ptr<xeus::xhistory_manager> make_history_manager();

}  // namespace xag

#endif
