// Opens an HTML quality report in headless Chromium (Debian's, at CHROMIUM or /usr/bin/chromium) and checks what
// a person would see: the score and grade with its reason, dimension bars as long as their scores, a card per
// column whose chart has bars on screen, findings with their example values, nothing wider than the window.
// REPORT is the HTML file, EXPECT the JSON report of the same run; SCREENSHOT, if set, is where to save a picture.
// Run with node --test.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const { REPORT: report, EXPECT: expectFile, SCREENSHOT: screenshot } = process.env;
assert.ok(report && expectFile, "REPORT and EXPECT are needed");
const expected = JSON.parse(readFileSync(expectFile, "utf8"));
let browser;
let page;

before(async () => {
  // The flags keep Chromium off the network (this machine refuses outside connections) and out of the sandbox it
  // cannot create when run as root in a container.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const failed = [];
  page.on("requestfailed", (r) => failed.push(r.url()));
  page.on("request", (r) => { if (!r.url().startsWith("file:")) failed.push(r.url()); });
  await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
  assert.deepEqual(failed, [], "the report is self-contained: no request leaves the file");
});

after(async () => {
  if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: true });
  }
  await browser?.close();
});

const pct = (score) => `${score.toFixed(1)}%`;

test("the score, the grade and the reason for the grade are on screen", async () => {
  assert.match(await page.locator("#score").innerText(), new RegExp(`^${pct(expected.score).replace(".", "\\.")}`));
  assert.equal(await page.locator("#grade").innerText(), expected.grade);
  assert.ok(await page.locator("#grade").isVisible());
  const reason = await page.locator("#grade-reason").innerText();
  const byScore = expected.score >= 95 ? "A" : expected.score >= 85 ? "B" : expected.score >= 70 ? "C" : "D";
  if (byScore !== expected.grade) {
    assert.match(reason, new RegExp(`forced by \\d+ critical failures?, the score alone gives ${byScore}`));
  } else {
    assert.equal(reason, `Grade ${expected.grade}`);
  }
  assert.match(await page.locator("#gate").innerText(), expected.publishable ? /passed/ : /failed/);
  assert.equal(await page.title(), `Data quality: ${expected.inputs[0].split("/").pop()}`);
});

test("each dimension's bar is drawn as long as its score", async () => {
  for (const [name, dimension] of Object.entries(expected.dimensions)) {
    const row = page.locator(`.dim[data-dimension="${name[0].toUpperCase()}${name.slice(1)}"]`);
    const track = await row.locator("rect.track").boundingBox();
    const bar = await row.locator("rect:not(.track)").boundingBox();
    assert.ok(track.width > 100, `${name}: the bar has room on screen`);
    const drawn = (bar.width / track.width) * 100;
    assert.ok(Math.abs(drawn - (dimension.score ?? 0)) < 1.5, `${name}: bar at ${drawn.toFixed(1)}%, score ${dimension.score}`);
  }
});

test("every column has a card, and every chart has bars on screen", async () => {
  const cards = page.locator(".card");
  assert.equal(await cards.count(), Math.min(expected.columns.length, 200));
  for (const column of expected.columns.slice(0, 200)) {
    const card = page.locator(`.card[data-column="${column.name.replaceAll('"', '\\"')}"]`);
    assert.equal(await card.locator("h3").innerText(), column.name);
    const charted = column.histogram || (column.topValues && column.topValues.length > 0);
    const chart = card.locator("svg.chart");
    assert.equal(await chart.count(), charted ? 1 : 0, `${column.name}: a chart when there is a distribution`);
    if (!charted) continue;
    const box = await chart.boundingBox();
    assert.ok(box.width > 200 && box.height > 12, `${column.name}: the chart is ${box.width}x${box.height}`);
    const bars = await chart.locator("rect.bar").evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().height).filter((h) => h > 0).length);
    assert.ok(bars > 0, `${column.name}: bars drawn`);
    if (column.topValues && !column.histogram) {
      assert.match(await chart.innerHTML(), new RegExp(column.topValues[0].count.toLocaleString("en-US")));
    }
  }
});

test("findings are listed worst first with their example values", async () => {
  const rows = page.locator("tr.finding");
  assert.equal(await rows.count(), Math.min(expected.findings.length, 200));
  for (const [i, finding] of expected.findings.slice(0, 200).entries()) {
    const row = rows.nth(i);
    assert.equal(await row.getAttribute("data-id"), finding.id);
    const text = await row.innerText();
    assert.ok(text.includes(finding.message), `finding ${i} shows its message`);
    for (const example of finding.examples ?? []) {
      assert.ok(text.includes(example), `finding ${finding.id} shows ${example}`);
    }
  }
});

test("the page fits the window: no horizontal scrolling", async () => {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px window`);
});
