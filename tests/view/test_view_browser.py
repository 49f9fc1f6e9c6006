#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""devsnap view's reports in a real browser (headless chromium through
selenium and chromedriver): the page loads with no console error and no
network request, draws one element per run in view with the right VA,
state and colour, shows a run's PA on hover and on keyboard focus, finds
a VA, and is not blank.  Reports for the demo dump, a 65 000-segment dump
(its render time and size are printed as TAP comments), a diff and an
Asahi dump.  TAP output; skipped only where chromium cannot start.

Usage: test_view_browser.py DEVSNAP MAKE_VIEW_DUMPS MAKE_READER_DUMPS
"""
import json
import os
import subprocess
import sys
import tempfile
import time

SAVED_RGB = (0x2e, 0x7d, 0x32)  # --saved in report.css
CHROMIUM_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu',
                  '--disable-software-rasterizer', '--in-process-gpu',
                  '--window-size=1280,1400', '--force-device-scale-factor=1']

n = 0
failed = 0


def ok(cond, desc, diag=None):
    global n, failed
    n += 1
    print(('ok %d - %s' if cond else 'not ok %d - %s') % (n, desc))
    if not cond:
        failed += 1
        if diag is not None:
            for line in str(diag).splitlines():
                print('# ' + line)
    sys.stdout.flush()
    return cond


def cpu_seconds(root):
    """CPU time used so far by root's descendants (chromedriver's chromium):
    a render cost that does not grow when other jobs share the machine."""
    children = {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            stat = open('/proc/%s/stat' % pid).read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append((int(pid), int(stat[11]) + int(stat[12])))
    total, todo = 0, [root]
    while todo:
        for pid, ticks in children.get(todo.pop(), []):
            total += ticks
            todo.append(pid)
    return total / os.sysconf('SC_CLK_TCK')


def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = '/usr/bin/chromium'
    for f in CHROMIUM_FLAGS:
        opts.add_argument(f)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL', 'performance': 'ALL'})
    return webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=opts)


def load(drv, path):
    """Opens path; the page's script sets window.devsnapReport when all is drawn."""
    drv.get_log('performance')  # drop what earlier pages logged
    drv.get('file://' + path)
    for _ in range(300):
        rep = drv.execute_script('return window.devsnapReport || null')
        if rep:
            return rep
        time.sleep(0.05)
    return None


def requests_made(drv, page):
    """URLs the browser asked for besides the page itself (CDP log)."""
    urls = []
    for entry in drv.get_log('performance'):
        msg = json.loads(entry['message'])['message']
        if msg.get('method') == 'Network.requestWillBeSent':
            url = msg['params']['request']['url']
            if url != 'file://' + page:
                urls.append(url)
    return urls


def console_errors(drv):
    return [e for e in drv.get_log('browser') if e['level'] in ('SEVERE', 'WARNING')]


def loads_clean(drv, path, what):
    rep = load(drv, path)
    ok(rep is not None, what + ': the page draws (window.devsnapReport set)')
    errs = console_errors(drv)
    ok(not errs, what + ': no console error or warning', errs)
    urls = requests_made(drv, path)
    res = drv.execute_script("return performance.getEntriesByType('resource').length")
    ok(not urls and res == 0, what + ': no network request', (urls, res))
    return rep


def runs(drv):
    """The VA strip's run elements: (data-va, data-state, class)."""
    return drv.execute_script("""
        return [...document.querySelectorAll('#map rect.run[data-va]')].map(
            (r) => [r.getAttribute('data-va'), r.getAttribute('data-state'),
                    r.getAttribute('class'), r.getAttribute('data-change')]);""")


def details(drv):
    return drv.find_element('id', 'details').text


def run_element(drv, va):
    from selenium.webdriver.common.by import By
    return drv.find_element(By.CSS_SELECTOR, '#map rect.run[data-va="%s"]' % va)


def search(drv, text):
    from selenium.webdriver.common.keys import Keys
    box = drv.find_element('id', 'search')
    box.clear()
    box.send_keys(text + Keys.ENTER)
    time.sleep(0.3)


def row_visible(drv, va):
    """Whether the table row for va is rendered inside the table's viewport."""
    return drv.execute_script("""
        const row = document.querySelector('#table .row[data-va="' + arguments[0] + '"]');
        if (!row) return false;
        const box = document.getElementById('table').getBoundingClientRect();
        const r = row.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom &&
               row.classList.contains('selected');""", va)


def saved_pixels(drv, png):
    """Pixels of the saved colour in the address strips."""
    from PIL import Image
    drv.execute_script("window.scrollTo(0, 0)")
    drv.save_screenshot(png)
    rect = drv.execute_script(
        "const r = document.getElementById('map').getBoundingClientRect();"
        "return [r.left, r.top, r.right, r.bottom];")
    img = Image.open(png).convert('RGB').crop(tuple(int(v) for v in rect))
    return sum(1 for p in img.getdata()
               if all(abs(a - b) <= 3 for a, b in zip(p, SAVED_RGB))), img.size


def test_demo(drv, devsnap, t):
    subprocess.run([devsnap, 'view', 'devsnap-demo.core', '-o', 'demo.html'], cwd=t, check=True)
    maps = json.loads(subprocess.run([devsnap, 'maps', '--json', 'devsnap-demo.core'], cwd=t,
                                     check=True, capture_output=True).stdout)
    page = os.path.join(t, 'demo.html')
    loads_clean(drv, page, 'demo')
    want = [[m['va'], m.get('skipped', 'saved')] for m in maps]
    got = runs(drv)
    ok([[r[0], r[1]] for r in got] == want,
       'demo: one run element per segment, with its VA and state', (got, want))
    ok(all(r[2].split() == ['run', 'st-' + r[1]] for r in got),
       'demo: each run has its state\'s colour class', got)
    fills = drv.execute_script("""
        return [...document.querySelectorAll('#map rect.run[data-va]')].map(
            (r) => getComputedStyle(r).fill);""")
    ok(fills[0] == 'rgb(46, 125, 50)' and fills[6] == 'rgb(21, 101, 192)',
       'demo: saved runs drawn green, device-memory blue', fills)
    ok(drv.execute_script("return document.querySelectorAll('#table .row').length") == 9,
       'demo: the table lists the 9 runs in view')

    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    ActionChains(drv).move_to_element(run_element(drv, '0x400000010000')).perform()
    ok('PA 0x8000e000' in details(drv), 'demo: hovering the command ring shows its PA',
       details(drv))
    ActionChains(drv).move_to_element(run_element(drv, '0x400000040000')).perform()
    ok('device-memory' in details(drv) and 'never read' in details(drv),
       'demo: hovering the MMIO window says why it was not saved', details(drv))
    drv.find_element('id', 'zoom-reset').click()
    time.sleep(0.2)
    ActionChains(drv).send_keys(Keys.TAB).perform()
    focused = drv.execute_script("return document.activeElement.getAttribute('data-va')")
    ok(focused == '0x400000000000' and 'PA 0x80000000' in details(drv),
       'demo: Tab from the toolbar focuses the first run and shows its PA',
       (focused, details(drv)))

    search(drv, '0x400004000000')
    ok('PA 0x80400000' in details(drv) and row_visible(drv, '0x400004000000'),
       'demo: searching the heap\'s VA selects it and scrolls its row into view', details(drv))
    search(drv, '0x8000c000')
    ok('VA 0x0000400000011000' in details(drv),
       'demo: searching a PA finds the VA run it backs', details(drv))
    drv.find_element('id', 'zoom-reset').click()
    time.sleep(0.2)
    px, size = saved_pixels(drv, os.path.join(t, 'demo.png'))
    # The strips are ~1240 x 34 px each; saved runs fill about a third of
    # the VA strip (hatched) and of the PA strip: measured 23 000.
    ok(8000 < px < 45000, 'demo: the screenshot shows saved runs (%d green pixels in %dx%d)'
       % (px, size[0], size[1]))


def test_svg(drv, devsnap, t):
    subprocess.run([devsnap, 'view', '--svg', 'devsnap-demo.core', '-o', 'demo.svg'], cwd=t,
                   check=True)
    drv.get_log('browser')
    drv.get('file://' + os.path.join(t, 'demo.svg'))
    errs = console_errors(drv)
    ok(not errs, 'svg: chromium opens it with no error', errs)
    runs_drawn = drv.execute_script(
        "return [...document.querySelectorAll('rect.run')].map((r) => getComputedStyle(r).fill)")
    ok(len(runs_drawn) == 9 and runs_drawn.count('rgb(46, 125, 50)') == 7,
       'svg: 9 runs, 7 of them in the saved colour', runs_drawn)
    from PIL import Image
    png = os.path.join(t, 'svg.png')
    drv.save_screenshot(png)
    img = Image.open(png).convert('RGB')
    px = sum(1 for p in img.getdata() if all(abs(a - b) <= 3 for a, b in zip(p, SAVED_RGB)))
    # A 1200 x 40 px strip, saved runs a third of it, hatched: measured 13 800.
    ok(3000 < px < 30000, 'svg: the picture shows saved runs (%d green pixels)' % px)


def test_big(drv, devsnap, t):
    subprocess.run([devsnap, 'view', 'big.core', '-o', 'big.html'], cwd=t, check=True)
    page = os.path.join(t, 'big.html')
    cpu = cpu_seconds(drv.service.process.pid)
    rep = loads_clean(drv, page, '65 000 segments')
    cpu = cpu_seconds(drv.service.process.pid) - cpu
    size = os.path.getsize(page)
    if rep:
        print('# 65 000-segment report: VA strip and table drawn %.0f ms after navigation, '
              'PA strip %.0f ms (chromium used %.0f ms of CPU; load average %.1f), '
              '%d elements, file %.2f MiB' % (rep['drawnMs'], rep['completeMs'], cpu * 1000,
                                              os.getloadavg()[0], rep['runsDrawn'], size / 2**20))
    ok(rep and rep['segments'] == 65000, '65 000 segments: all in the data')
    ok(rep and rep['runsDrawn'] < 3000,
       '65 000 segments: runs below a pixel merged (%s elements)' % (rep and rep['runsDrawn']))
    rows = drv.execute_script("return document.querySelectorAll('#table .row').length")
    title = drv.find_element('id', 'table-title').text
    ok(title == 'Runs in view: 65000 of 65000' and rows < 80,
       '65 000 segments: the table holds only the rows on screen (%d)' % rows, title)
    va = 0x100000000 + 0x3000 * 40000 + (40 << 40)
    search(drv, hex(va))
    got = [r for r in runs(drv) if r[0] == hex(va)]
    pa = 0x80000000 + (40000 * 7919 % 65536) * 0x1000
    ok(got and got[0][1] == 'saved' and 'PA %s' % hex(pa) in details(drv)
       and row_visible(drv, hex(va)),
       '65 000 segments: searching segment 40 000 zooms to its own run element',
       (got, details(drv)))
    va2 = 0x100000000 + 0x3000 * 40001 + (40 << 40)
    got = [r for r in runs(drv) if r[0] == hex(va2)]
    ok(got and got[0][1] == 'read-error' and got[0][2] == 'run st-read-error',
       '65 000 segments: its neighbour (40 001 % 6 = 5) is a read error', got)
    search(drv, hex(0x100000000 + 0x3000 * 501))
    ok('shares physical pages with VA %s' % hex(0x100000000 + 0x3000 * 500) in details(drv),
       '65 000 segments: a run sharing its page says with which VA', details(drv))
    blob = drv.execute_script("return document.querySelector('pre.blob').textContent")
    ok('</script><img src=x onerror=alert(1)>' in blob and
       drv.execute_script("return document.images.length") == 0 and
       drv.execute_script("return document.querySelectorAll('b').length") == 0,
       '65 000 segments: hostile blob text shown as text, no markup made of it')
    reason = drv.execute_script("return [...document.querySelectorAll('#info dd')]"
                                ".map((d) => d.textContent).join('|')")
    ok('test </script><img' in reason, '65 000 segments: hostile reason shown as text')
    return rep, size


def test_diff(drv, devsnap, t):
    subprocess.run([devsnap, 'view', 'a.core', 'b.core', '-o', 'diff.html'], cwd=t, check=True)
    loads_clean(drv, os.path.join(t, 'diff.html'), 'diff')
    changes = sorted((r[0], r[3]) for r in runs(drv) if r[3])
    diff = json.loads(subprocess.run([devsnap, 'diff', '--json', 'a.core', 'b.core'], cwd=t,
                                     capture_output=True).stdout)
    from_cli = sorted((r['va'], k) for k, rows in diff.items() if isinstance(rows, list)
                      for r in rows)
    ok(changes == from_cli, 'diff: one change element per change diff --json lists',
       (changes, from_cli))
    ok({k for _, k in changes} >= {'added', 'removed', 'remapped', 'attributes'},
       'diff: added, removed, remapped and attributes drawn', changes)
    a_runs = [r for r in runs(drv) if not r[3]]
    ok(len(a_runs) == 9, 'diff: A\'s 4 runs and B\'s 5 on the same axis', a_runs)
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    el = drv.find_element(By.CSS_SELECTOR, '#map rect.run[data-change="remapped"]')
    ActionChains(drv).move_to_element(el).perform()
    ok('PA 0x80020000 \u2192 0x80099000' in details(drv),
       'diff: hovering the remapped page shows both PAs', details(drv))


def test_asahi(drv, devsnap, t):
    subprocess.run([devsnap, 'view', 'asahi.core', '-o', 'asahi.html'], cwd=t, check=True)
    loads_clean(drv, os.path.join(t, 'asahi.html'), 'asahi')
    info = drv.find_element('id', 'info').text
    ok('chip 0x6000' in info and 'ASSERT ring.c:42' in info,
       'asahi: the AGX and RTKit notes decoded in the header', info)
    got = runs(drv)
    ok([r[:2] for r in got] == [['0xffffff8000000000', 'not-saved'],
                                ['0xffffffa000000000', 'saved']],
       'asahi: upper-half VAs past 2^53 drawn exactly', got)
    search(drv, '0xffffffa000000fff')
    ok('PA 0x800000000' in details(drv),
       'asahi: searching a 64-bit VA finds its run', details(drv))


def main():
    devsnap, make_view_dumps, make_reader_dumps = (os.path.abspath(a) for a in sys.argv[1:4])
    with tempfile.TemporaryDirectory() as t:
        subprocess.run([make_view_dumps, t], check=True)
        subprocess.run([make_reader_dumps, t], check=True)
        subprocess.run([devsnap, 'demo'], cwd=t, check=True, stdout=subprocess.DEVNULL)
        try:
            drv = start_browser()
        except Exception as e:  # no chromium, no driver, no display: say so
            print('1..0 # SKIP chromium cannot start: %s' % ' '.join(str(e).split())[:300])
            return 0
        try:
            test_demo(drv, devsnap, t)
            test_svg(drv, devsnap, t)
            test_big(drv, devsnap, t)
            test_diff(drv, devsnap, t)
            test_asahi(drv, devsnap, t)
        finally:
            drv.quit()
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
