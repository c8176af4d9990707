#include "batched_output.hpp"

#include <Python.h>

#include <utility>

#include "xeus/xinterpreter.hpp"

namespace xag {

batched_output& batched_output::instance() {
  static batched_output output;
  return output;
}

// The kernel stops the flusher before Python ends; this covers an exit that skipped that.
batched_output::~batched_output() {
  stop();
}

void batched_output::start() {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_flusher.joinable()) return;
  m_stopping = false;
  m_flusher = std::thread([this] { run_flusher(); });
}

void batched_output::stop() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  if (!m_flusher.joinable()) return;
  if (Py_IsInitialized() && PyGILState_Check()) {
    // The flusher may be waiting for the GIL to finish its last round: let it have it.
    PyThreadState* saved = PyEval_SaveThread();
    m_flusher.join();
    PyEval_RestoreThread(saved);
  } else {
    m_flusher.join();
  }
}

void batched_output::write(const std::string& stream, const std::string& text) {
  if (text.empty()) return;
  std::unique_lock<std::mutex> lock(m_mutex);
  if (!m_in_cell) {
    lock.unlock();
    xeus::get_interpreter().publish_stream(stream, text);
    return;
  }
  if (!m_pending.empty() && m_stream != stream) {
    // The other stream's text goes first: stdout and stderr stay in the order written. (Writers
    // and the flusher all hold the GIL, so nothing slips in between.)
    lock.unlock();
    flush();
    lock.lock();
  }
  if (m_pending.empty()) {
    m_due = std::chrono::steady_clock::now() + kDelay;
    m_wake.notify_one();
  }
  m_stream = stream;
  m_pending += text;
  const bool full = m_pending.size() >= kMaxPending;
  lock.unlock();
  if (full) flush();
}

void batched_output::begin_cell() {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_in_cell = true;
}

void batched_output::end_cell() {
  flush();
  std::lock_guard<std::mutex> lock(m_mutex);
  m_in_cell = false;
}

void batched_output::flush() {
  std::string stream, text;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_pending.empty()) return;
    stream = m_stream;
    text = std::move(m_pending);
    m_pending.clear();
  }
  xeus::get_interpreter().publish_stream(stream, text);
}

void batched_output::run_flusher() {
  std::unique_lock<std::mutex> lock(m_mutex);
  while (!m_stopping) {
    if (m_pending.empty()) {
      m_wake.wait(lock);
      continue;
    }
    if (m_wake.wait_until(lock, m_due) != std::cv_status::timeout) continue;
    lock.unlock();
    // The GIL orders this publish with the main thread's; a finalizing interpreter would never
    // hand it over.
    if (Py_IsInitialized() && !_Py_IsFinalizing()) {
      PyGILState_STATE gil = PyGILState_Ensure();
      bool in_cell;
      {
        std::lock_guard<std::mutex> check(m_mutex);
        in_cell = m_in_cell;
      }
      if (in_cell) flush();
      PyGILState_Release(gil);
    }
    lock.lock();
  }
}

}  // namespace xag
