"""Jupyter protocol conformance of the xautograph kernel (jupyter_kernel_test).

Run with `/usr/bin/python3 -m unittest`, not pytest: pytest 7.2 reports the whole test_history
as skipped when one of its subtests skips. The data mirrors what ipykernel passes; the extra
tests cover what KernelTests does not check (error ename, history outputs and ranges, stdin).
"""
import unittest

import jupyter_kernel_test
from jupyter_kernel_test.msgspec_v5 import validate_message

from kernel_under_test import KERNEL_NAME, check_kernelspec

TIMEOUT = 15


class XautographKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('to stderr', file=sys.stderr)"

    completion_samples = [
        {"text": "zi", "matches": {"zip"}},
        {"text": "import itertoo", "matches": {"itertools"}},
    ]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):\n  x*2", "for i in range(3):"]
    invalid_code_samples = ["import = 7q"]

    code_page_something = "zip?"
    code_generate_error = "undefined_name_in_cell"

    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "[n*n for n in range(1, 4)]", "result": "[1, 4, 9]"},
        {"code": "'staged'.upper()", "result": "'STAGED'"},
    ]
    code_display_data = [
        {"code": "from IPython.display import HTML, display; display(HTML('<b>test</b>'))",
         "mime": "text/html"},
        {"code": "from IPython.display import Math, display; display(Math('\\\\frac{1}{2}'))",
         "mime": "text/latex"},
    ]

    # Matches "1+2+3" from code_execute_result.
    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "zip"
    code_clear_output = "from IPython.display import clear_output; clear_output()"

    @classmethod
    def setUpClass(cls):
        check_kernelspec()
        super().setUpClass()

    # --- beyond KernelTests -------------------------------------------------------------------

    def test_kernel_info_names_xautograph(self):
        self.flush_channels()
        msg_id = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        validate_message(reply, "kernel_info_reply", msg_id)
        content = reply["content"]
        self.assertEqual(content["implementation"], "xautograph")
        self.assertEqual(content["language_info"]["name"], "python")
        self.assertTrue(content["language_info"]["version"].startswith("3.11"))

    def test_error_ename_is_class_name(self):
        self.flush_channels()
        reply, output_msgs = self.execute_helper(self.code_generate_error)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "NameError")
        self.assertIn("undefined_name_in_cell", reply["content"]["evalue"])
        errors = [m for m in output_msgs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["content"]["ename"], "NameError")
        self.assertTrue(any("undefined_name_in_cell" in line
                            for line in errors[0]["content"]["traceback"]))

    def test_error_ename_of_user_exception(self):
        self.flush_channels()
        reply, _ = self.execute_helper("class MyError(Exception): pass\nraise MyError('x')")
        self.assertEqual(reply["content"]["ename"], "MyError")
        self.assertEqual(reply["content"]["evalue"], "x")

    def history(self, **request):
        self.flush_channels()
        msg_id = self.kc.history(**request)
        reply = self.get_non_kernel_info_reply(timeout=TIMEOUT)
        validate_message(reply, "history_reply", msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        return reply["content"]["history"]

    def test_history_entries_have_session_line_and_output(self):
        self.flush_channels()
        first, _ = self.execute_helper("6*7")
        second, _ = self.execute_helper("'no' + 'output'; None")
        tail = self.history(hist_access_type="tail", n=2, output=True, raw=True)
        self.assertEqual(len(tail), 2)
        (session, line, (source, output)), (session2, line2, (source2, output2)) = tail
        self.assertIsInstance(session, int)
        self.assertEqual((session2, line2), (session, line + 1))
        self.assertEqual(line, first["content"]["execution_count"])
        self.assertEqual(line2, second["content"]["execution_count"])
        self.assertEqual((source, output), ("6*7", "42"))
        self.assertEqual(source2, "'no' + 'output'; None")
        self.assertIsNone(output2)

        ranged = self.history(hist_access_type="range", session=session, start=line,
                              stop=line + 1, output=False, raw=True)
        self.assertEqual(ranged, [[session, line, "6*7"]])
        current = self.history(hist_access_type="range", session=0, start=line, stop=line + 1,
                               output=True, raw=True)
        self.assertEqual(current, [[session, line, ["6*7", "42"]]])

    def test_history_search_unique_and_n(self):
        self.flush_channels()
        for _ in range(3):
            self.execute_helper("'history-needle'")
        found = self.history(hist_access_type="search", pattern="*history-needle*", n=2,
                             output=False, raw=True)
        self.assertEqual(len(found), 2)
        self.assertTrue(all(entry[2] == "'history-needle'" for entry in found))
        unique = self.history(hist_access_type="search", pattern="*history-needle*", n=10,
                              unique=True, output=False, raw=True)
        self.assertEqual(len(unique), 1)

    def test_silent_and_unstored_cells_stay_out_of_history(self):
        self.flush_channels()
        self.execute_helper("'stored cell'")
        self.execute_helper("'unstored cell'", store_history=False)
        tail = self.history(hist_access_type="tail", n=1, output=False, raw=True)
        self.assertEqual(tail[0][2], "'stored cell'")

    def test_input_request_round_trip(self):
        self.flush_channels()
        msg_id = self.kc.execute("answer = input('name? ')", allow_stdin=True)
        try:
            request = self.kc.get_stdin_msg(timeout=TIMEOUT)
        finally:
            # Answer even when a check fails, or the kernel would wait for ever.
            self.kc.input("graph")
        self.assertEqual(request["parent_header"]["msg_id"], msg_id)
        # jupyter_kernel_test's schema wants a number for `password`; the spec says bool.
        self.assertEqual(request["content"]["prompt"], "name? ")
        self.assertIs(request["content"]["password"], False)
        reply = self.get_non_kernel_info_reply(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        self.flush_channels()
        reply, outputs = self.execute_helper("answer")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "'graph'")

    def test_sys_executable_is_debians_python(self):
        self.flush_channels()
        reply, outputs = self.execute_helper("import sys; sys.executable, sys.prefix")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"],
                         "('/usr/bin/python3.11', '/usr')")


if __name__ == "__main__":
    unittest.main()
