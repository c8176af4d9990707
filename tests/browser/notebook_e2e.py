"""End to end in a real browser: Jupyter Notebook (classic, Debian's jupyter-notebook) served on
localhost with the build tree's xautograph kernel, headless Chromium driven by Debian's
chromium-driver through python3-selenium. Runs a %%autograph cell by typing Shift+Enter, checks
that the side-by-side pane renders with both columns side by side and highlighted, runs a call
whose trace fills in the teaching marks (gutter letters in colour, tooltips, notes), checks they
are visible and that long lines wrap inside the output area, switches to the compact form, and
saves a screenshot of the pane with its marks.

Environment (set by CTest): JUPYTER_PATH (the build tree's kernelspec), PYTHONPATH (the build
tree's package), XAG_SCREENSHOT (where the PNG goes). Exit status 0 = pass, 1 = fail."""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

PYTHON = "/usr/bin/python3"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
TIMEOUT_S = 120

CELL = "\n".join([
    "%%autograph",
    "def huber(x, d):",
    "    if abs(x) <= d:",
    "        return 0.5 * x * x",
    "    else:",
    "        return d * (abs(x) - 0.5 * d)",
])
CALL = "float(huber(ag.constant(3.0), ag.constant(1.0)))"
PANE = '.output_area .ag-sbs[data-function="huber"]'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(directory):
    nb = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "xautograph", "display_name": "Python 3 (AutoGraph)",
                           "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [{"cell_type": "code", "id": f"e2e-cell-{k}", "metadata": {},
                   "execution_count": None, "outputs": [], "source": source}
                  for k, source in enumerate((CELL, "import autograph as ag\n" + CALL))],
    }
    with open(os.path.join(directory, "e2e.ipynb"), "w") as f:
        json.dump(nb, f, indent=1)


def wait_for_server(url, deadline, server):
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"notebook server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as res:
                if res.status == 200:
                    return
        except OSError:
            pass  # not listening yet
        time.sleep(0.25)
    raise RuntimeError(f"notebook server did not answer at {url}")


def start_browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,900",
                f"--user-data-dir={profile}"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def check_pane(driver, wait):
    """The pane of `huber` is visible, its two columns side by side, the original highlighted."""
    pane = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, PANE)))

    def cell_with(column, text):
        cells = pane.find_elements(By.CSS_SELECTOR, f"td.{column}")
        return next((c for c in cells if text in c.text and c.is_displayed()), None)

    original = wait.until(lambda _: cell_with("ag-sbs-orig", "return 0.5 * x * x"))
    converted = wait.until(lambda _: cell_with("ag-sbs-conv", "ag__.if_stmt"))
    left, right = original.rect, converted.rect
    if not (left["width"] > 50 and right["width"] > 50
            and right["x"] > left["x"] + left["width"] - 1):
        raise AssertionError(f"columns not side by side: left={left} right={right}")
    title = pane.find_element(By.CSS_SELECTOR, ".ag-sbs-title").text.strip()
    if not title.startswith("huber"):
        raise AssertionError(f"title is {title!r}")
    # Syntax highlighting: Pygments' keyword class on `def`/`return`/`if`/`else`.
    keywords = pane.find_elements(By.CSS_SELECTOR, "td.ag-sbs-orig span.k")
    if len(keywords) < 2:
        raise AssertionError("original column is not highlighted")
    return pane


def retry_if_stale(check, attempts=5):
    """Runs `check` again when the pane was re-rendered under it (each trace updates the pane's
    display, which replaces its elements): a stale element says nothing about what is shown."""
    for attempt in range(attempts):
        try:
            return check()
        except StaleElementReferenceException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


def check_marks(driver, wait):
    """After the call, the pane (re-rendered by the trace) marks huber's `if` and returns as
    staged: coloured gutter letters with the mark as tooltip, and notes under the lines."""
    return retry_if_stale(lambda: inspect_marks(driver, wait))


def inspect_marks(driver, wait):
    def staged_gutters(_):
        pane = driver.find_element(By.CSS_SELECTOR, PANE)
        cells = [c for c in pane.find_elements(By.CSS_SELECTOR, "td.ag-sbs-gutter.ag-mark-staged")
                 if c.is_displayed()]
        return cells if len(cells) >= 3 else None

    gutters = wait.until(staged_gutters)
    first = gutters[0]
    if first.text.strip() != "S":
        raise AssertionError(f"gutter letter is {first.text!r}")
    if not first.get_attribute("title").startswith("staged: tensor condition (`abs(x) <= d`"):
        raise AssertionError(f"tooltip is {first.get_attribute('title')!r}")
    colour = driver.execute_script(
        "return getComputedStyle(arguments[0]).backgroundColor;", first)
    if colour in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)", "transparent"):
        raise AssertionError(f"the gutter has no colour: {colour}")
    pane = driver.find_element(By.CSS_SELECTOR, PANE)
    notes = [n for n in pane.find_elements(By.CSS_SELECTOR, ".ag-sbs-note") if n.is_displayed()]
    if not any("staged: tensor condition" in n.text for n in notes):
        raise AssertionError(f"no visible note: {[n.text for n in notes]}")
    if notes[0].size["height"] < 8 or notes[0].size["width"] < 50:
        raise AssertionError(f"the note is not visible: {notes[0].size}")
    # Long converted lines wrap: nothing is cut off at the right of the output area.
    area = driver.execute_script(
        "const p = arguments[0], s = p.querySelector('.ag-sbs-full');"
        "return [s.scrollWidth, s.clientWidth, p.closest('.output_area').clientWidth,"
        "p.getBoundingClientRect().width];", pane)
    if area[0] > area[1] + 1 or area[3] > area[2] + 1:
        raise AssertionError(f"the pane overflows its output area: {area}")
    return pane


def check_compact(driver, wait):
    """The pane's checkbox switches to the compact form (no get_state, ag.cond) and back."""
    retry_if_stale(lambda: toggle_compact(driver, wait))


def toggle_compact(driver, wait):
    def shown(part):  # looks the pane up each time: a re-render replaces it
        pane = driver.find_element(By.CSS_SELECTOR, PANE)
        return pane.find_element(By.CSS_SELECTOR, part).is_displayed()

    def click_toggle():
        driver.find_element(By.CSS_SELECTOR, PANE).find_element(
            By.CSS_SELECTOR, ".ag-sbs-toggle-label").click()

    if shown(".ag-sbs-compact"):  # a retry after a half-done toggle: start from the full form
        click_toggle()
        wait.until(lambda _: shown(".ag-sbs-full"))
    click_toggle()
    wait.until(lambda _: shown(".ag-sbs-compact") and not shown(".ag-sbs-full"))
    text = driver.find_element(By.CSS_SELECTOR, PANE).find_element(
        By.CSS_SELECTOR, ".ag-sbs-compact").text
    if "ag.cond(" not in text or "get_state" in text:
        raise AssertionError(f"compact form is not compact:\n{text}")
    click_toggle()
    wait.until(lambda _: shown(".ag-sbs-full"))


def run(work):
    notebook_dir = os.path.join(work, "notebooks")
    os.mkdir(notebook_dir)
    write_notebook(notebook_dir)
    port, token = free_port(), secrets.token_hex(16)
    screenshot = os.environ.get("XAG_SCREENSHOT") or os.path.join(work, "side_by_side.png")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=os.path.join(work, "config"),
               JUPYTER_DATA_DIR=os.path.join(work, "data"),
               JUPYTER_RUNTIME_DIR=os.path.join(work, "runtime"),
               IPYTHONDIR=os.path.join(work, "ipython"))
    log_path = os.path.join(work, "server.log")
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [PYTHON, "-m", "notebook", "--no-browser", "--allow-root", f"--port={port}",
             "--ip=127.0.0.1", f"--NotebookApp.token={token}", f"--notebook-dir={notebook_dir}"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
    driver = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_server(f"{base}/api?token={token}", time.time() + 60, server)
        driver = start_browser(os.path.join(work, "chromium-profile"))
        wait = WebDriverWait(driver, TIMEOUT_S,
                             ignored_exceptions=(StaleElementReferenceException,))
        driver.get(f"{base}/notebooks/e2e.ipynb?token={token}")
        # The kernel is up when it answered kernel_info and the indicator shows idle.
        wait.until(lambda d: d.execute_script(
            "const k = window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel;"
            "return !!(k && k.info_reply && k.info_reply.status === 'ok');"))
        wait.until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, "#kernel_indicator_icon.kernel_idle_icon")))
        kernel = driver.execute_script("return Jupyter.notebook.kernel.name;")
        if kernel != "xautograph":
            raise AssertionError(f"notebook runs kernel {kernel}")

        driver.find_elements(By.CSS_SELECTOR, ".cell .CodeMirror")[0].click()
        webdriver.ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER) \
            .key_up(Keys.SHIFT).perform()
        check_pane(driver, wait)
        # The call traces huber: the pane above updates itself with the marks.
        driver.find_elements(By.CSS_SELECTOR, ".cell .CodeMirror")[1].click()
        webdriver.ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER) \
            .key_up(Keys.SHIFT).perform()
        check_marks(driver, wait)
        check_compact(driver, wait)
        pane = driver.find_element(By.CSS_SELECTOR, PANE)

        os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
        if not pane.screenshot(screenshot):
            raise AssertionError(f"could not write the screenshot {screenshot}")
        print(f"side-by-side pane rendered with its marks; screenshot: {screenshot}")
    except Exception:
        with open(log_path) as log:
            print("--- notebook server log ---\n" + log.read()[-4000:], file=sys.stderr)
        raise
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def main():
    work = tempfile.mkdtemp(prefix="xag-e2e-")
    try:
        run(work)
    except (AssertionError, RuntimeError, TimeoutException):
        traceback.print_exc()
        print("FAIL: browser end-to-end test", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
