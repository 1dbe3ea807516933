// Browser proof of the scimgate console (issue #16), run by ops/console-browser.sh against a
// fresh server: Debian's chromium driven through chromedriver (selenium-webdriver), axe-core
// run in every page visited, a screenshot of each page. Each step asserts what a person would
// see; the first broken step ends the run with its name and what was wrong.
//
// env: ORIGIN (http://127.0.0.1:port), ADMIN_KEY, SHOTS (screenshot folder), OVERVIEW_PNG
// (where the tenant overview screenshot for the README goes).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const { Builder, By, until } = require("selenium-webdriver");
const chrome = require("selenium-webdriver/chrome");

const origin = need("ORIGIN");
const adminKey = need("ADMIN_KEY");
const shots = need("SHOTS");
const overviewPng = need("OVERVIEW_PNG");
const WAIT_MS = 10000;

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

class StepFailed extends Error {}

let currentStep = "start";
function step(name) {
  currentStep = name;
  console.log(`-- ${name}`);
}
function check(condition, message) {
  if (!condition) throw new StepFailed(message);
}

// Plain HTTP (Node's fetch), for the SCIM API and for status codes a browser does not expose.
async function http(method, url, { token, cookie, body, type, form } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (cookie) headers.cookie = cookie;
  let payload;
  if (form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(form).toString();
  } else if (body !== undefined) {
    headers["content-type"] = type || "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(origin + url, { method, headers, body: payload, redirect: "manual" });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

const scim = (method, slug, url, token, body) =>
  http(method, `/t/${slug}/scim/v2${url}`, { token, body, type: "application/scim+json" });
const adminApi = (method, url, body) =>
  http(method, `/admin/v1${url}`, { token: adminKey, body });

async function main() {
  fs.mkdirSync(shots, { recursive: true });
  const options = new chrome.Options()
    .setChromeBinaryPath("/usr/bin/chromium")
    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800")
    .addArguments("--force-prefers-reduced-motion", "--lang=en-US");
  // The driver's path given: selenium-webdriver then never runs Selenium Manager (no downloads).
  const service = new chrome.ServiceBuilder("/usr/bin/chromedriver");
  const driver = await new Builder().forBrowser("chrome").setChromeOptions(options).setChromeService(service).build();
  // The viewport set exactly: headless Chromium's window size is not its viewport's.
  const viewport = (width, height, mobile = false) =>
    driver.sendDevToolsCommand("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile });
  const colorScheme = (value) =>
    driver.sendDevToolsCommand("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value }] });
  await viewport(1280, 800);
  let shotNumber = 0;
  const axeProblems = [];

  // Waits for the page's h1, runs axe-core in it and saves a screenshot named `name`.
  async function visited(name, expectedHeading) {
    const h1 = await driver.wait(until.elementLocated(By.css("h1")), WAIT_MS);
    const heading = await h1.getText();
    if (expectedHeading !== undefined) {
      check(heading.includes(expectedHeading), `${name}: heading is "${heading}", expected "${expectedHeading}"`);
    }
    const result = await driver.executeAsyncScript(
      `${axeSource}
       const done = arguments[arguments.length - 1];
       axe.run(document, { resultTypes: ["violations"] })
         .then((r) => done(JSON.stringify(r.violations)), (e) => done(JSON.stringify({ error: String(e) })));`,
    );
    const parsed = JSON.parse(result);
    check(!parsed.error, `${name}: axe-core failed: ${parsed.error}`);
    for (const v of parsed) {
      const nodes = v.nodes.map((n) => `      ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`);
      const line = `${name} (${await driver.getCurrentUrl()}): [${v.impact}] ${v.id}: ${v.help}\n${nodes.join("\n")}`;
      if (v.impact === "serious" || v.impact === "critical") axeProblems.push(line);
      else console.log(`   axe (${v.impact}, not failing): ${v.id} on ${name}`);
    }
    shotNumber += 1;
    const file = path.join(shots, `${String(shotNumber).padStart(2, "0")}-${name}.png`);
    fs.writeFileSync(file, await driver.takeScreenshot(), "base64");
    return heading;
  }
  const open = (url) => driver.get(origin + url);
  const text = async () => driver.findElement(By.css("main")).getText();
  const value = async (css) => driver.findElement(By.css(css)).getAttribute("value");
  // Clicks what leads to another page and waits until the old page is gone.
  async function clickThrough(element) {
    const old = await driver.findElement(By.css("html"));
    await element.click();
    await driver.wait(until.stalenessOf(old), WAIT_MS);
  }
  const click = async (css) => clickThrough(await driver.findElement(By.css(css)));
  // The session cookie as a header, for plain-HTTP checks made as this browser.
  async function sessionCookie() {
    const cookies = await driver.manage().getCookies();
    check(cookies.length > 0, "the browser holds no console cookie");
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  }

  try {
    step("operator signs in with the admin key");
    await open("/console/operator");
    await visited("operator-sign-in", "Operator sign-in");
    await driver.findElement(By.id("admin-key")).sendKeys(adminKey);
    await click("main form button[type=submit]");
    await visited("operator-tenants", "Tenants");
    check((await driver.getCurrentUrl()).endsWith("/console/operator/tenants"), "sign-in did not land on the tenants page");

    step("operator creates tenants acme and globex");
    for (const [slug, name] of [["acme", "Acme Corp"], ["globex", "Globex"]]) {
      await driver.findElement(By.id("tenant-slug")).sendKeys(slug);
      await driver.findElement(By.id("tenant-name")).sendKeys(name);
      await click("form[action='/console/operator/tenants'] button[type=submit]");
      await driver.wait(until.elementLocated(By.css("[role=status]")), WAIT_MS);
      check((await text()).includes(`Tenant ${slug} created.`), `no confirmation for tenant ${slug}`);
    }
    await visited("operator-tenant-created", "Tenants");

    step("operator makes a setup link for acme");
    await click("form[action='/console/operator/tenants/acme/setup-links'] button[type=submit]");
    await driver.wait(until.elementLocated(By.id("new-link")), WAIT_MS);
    const link = await value("#new-link");
    check(link.startsWith(`${origin}/console/setup/`), `setup link "${link}" is not on this server`);
    await visited("operator-setup-link", "Tenants");

    // Tenant B's things, made through the admin API, for the cross-tenant checks below.
    const globexToken = (await adminApi("POST", "/tenants/globex/tokens", { name: "idp", scopes: ["scim:read", "scim:write"] })).json.token;
    const globexUser = await scim("POST", "globex", "/Users", globexToken, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "hank@globex.example",
    });
    check(globexUser.status === 201, `globex user not created: ${globexUser.status} ${globexUser.text}`);

    step("the IT admin opens the link in a fresh session and continues");
    await driver.manage().deleteAllCookies();
    await driver.get(link);
    await visited("setup-link", "Set up provisioning");
    await click("form[action='/console/setup'] button[type=submit]");
    await driver.wait(until.urlIs(`${origin}/console/t/acme`), WAIT_MS);
    const base = await value("#scim-base");
    check(base === `${origin}/t/acme/scim/v2`, `the overview shows the SCIM base URL "${base}"`);
    await visited("overview", "SCIM provisioning for Acme Corp");

    step("the link works once");
    const again = await http("POST", "/console/setup", { form: { code: link.split("/").pop() } });
    check(again.status >= 400 && again.status < 500, `a spent link answered ${again.status}`);

    step("IdP guides");
    await open("/console/t/acme/guides");
    await visited("guides");
    const guideLinks = await driver.findElements(By.css("main a[href^='/console/t/acme/guides/']"));
    const guides = await Promise.all(guideLinks.map((a) => a.getAttribute("href")));
    check(guides.length === 6, `expected 6 IdP guides, found ${guides.length}`);
    for (const href of guides) {
      await driver.get(href);
      await visited(`guide-${href.split("/").pop()}`);
      check((await driver.getPageSource()).includes(`${origin}/t/acme/scim/v2`), `${href} does not fill in the tenant's base URL`);
    }

    step("create a token and read it from the page");
    await open("/console/t/acme/tokens");
    await visited("tokens-empty", "Tokens");
    await driver.findElement(By.id("token-name")).sendKeys("Okta production");
    await click("form[action='/console/t/acme/tokens'] button[type=submit]");
    await driver.wait(until.elementLocated(By.id("new-token")), WAIT_MS);
    const token = await value("#new-token");
    check(token.length >= 20, "the new token is not shown");
    await visited("token-created", "Tokens");

    step("the token creates a user and a group through the SCIM API");
    const user = await scim("POST", "acme", "/Users", token, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada@acme.example", displayName: "Ada Lovelace",
      emails: [{ value: "ada@acme.example", primary: true }],
    });
    check(user.status === 201, `SCIM POST /Users answered ${user.status}: ${user.text}`);
    const group = await scim("POST", "acme", "/Groups", token, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Engineering", members: [{ value: user.json.id }],
    });
    check(group.status === 201, `SCIM POST /Groups answered ${group.status}: ${group.text}`);

    step("the console shows the user, the group and the requests");
    await open("/console/t/acme/users");
    await visited("users", "Users");
    check((await text()).includes("ada@acme.example"), "the users page does not list the new user");
    await click(`main a[href='/console/t/acme/users/${user.json.id}']`);
    await visited("user", "ada@acme.example");
    check((await text()).includes("Engineering"), "the user page does not show the user's group");
    await open("/console/t/acme/groups");
    await visited("groups", "Groups");
    await click(`main a[href='/console/t/acme/groups/${group.json.id}']`);
    await visited("group", "Engineering");
    check((await text()).includes("ada@acme.example"), "the group page does not list its member");
    await open("/console/t/acme/requests");
    await visited("requests", "Requests");
    const rows = await driver.findElements(By.css("main table tbody tr"));
    const rowTexts = await Promise.all(rows.map((r) => r.getText()));
    check(rowTexts.some((r) => /POST/.test(r) && r.includes("/Users") && r.includes("201")),
      `the request log shows no POST /Users 201: ${JSON.stringify(rowTexts)}`);
    await open("/console/t/acme");
    const counts = await driver.findElement(By.css("main .stats")).getText();
    check(/\b1\s+users\b/.test(counts), `the overview counts no user: ${counts}`);
    await visited("overview-after-sync", "SCIM provisioning for Acme Corp");
    fs.writeFileSync(overviewPng, await driver.takeScreenshot(), "base64");

    step("a state-changing POST without the CSRF token is refused (403)");
    const cookie = await sessionCookie();
    const noCsrf = await http("POST", "/console/t/acme/tokens", { cookie, form: { name: "sneaky" } });
    check(noCsrf.status === 403, `a token form without CSRF token answered ${noCsrf.status}`);
    const badCsrf = await http("POST", "/console/t/acme/tokens", { cookie, form: { name: "sneaky", csrf: "forged" } });
    check(badCsrf.status === 403, `a token form with a forged CSRF token answered ${badCsrf.status}`);
    // The same in the browser: the form's hidden token removed before it is sent.
    await open("/console/t/acme/tokens");
    await driver.executeScript("document.querySelector(\"form[action='/console/t/acme/tokens'] input[name=csrf]\").remove()");
    await driver.findElement(By.id("token-name")).sendKeys("sneaky");
    await click("form[action='/console/t/acme/tokens'] button[type=submit]");
    await visited("csrf-refused", "Refused");
    await open("/console/t/acme/tokens");
    check(!(await text()).includes("sneaky"), "a form without CSRF token created a token");

    step("a tenant-A session gets 404 for tenant B");
    for (const url of ["/console/t/globex", "/console/t/globex/users", `/console/t/globex/users/${globexUser.json.id}`,
      `/console/t/acme/users/${globexUser.json.id}`]) {
      const answer = await http("GET", url, { cookie });
      check(answer.status === 404, `GET ${url} as acme answered ${answer.status}`);
    }
    await open(`/console/t/acme/users/${globexUser.json.id}`);
    await visited("cross-tenant-404", "Not found");
    check(!(await text()).includes("hank@globex.example"), "tenant B's user shown to tenant A");

    step("operator pages are 404 for the tenant session");
    for (const url of ["/console/operator/tenants"]) {
      const answer = await http("GET", url, { cookie });
      check(answer.status === 404, `GET ${url} as a tenant answered ${answer.status}`);
    }
    const opPost = await http("POST", "/console/operator/tenants", { cookie, form: { slug: "intruder" } });
    check(opPost.status === 404, `POST /console/operator/tenants as a tenant answered ${opPost.status}`);

    step("rotate the token: the new one works, the old one for its grace period");
    await open("/console/t/acme/tokens");
    await click("main button[aria-label='Rotate token Okta production']");
    await driver.wait(until.elementLocated(By.id("new-token")), WAIT_MS);
    const rotated = await value("#new-token");
    check(rotated && rotated !== token, "rotation showed no new token");
    await visited("token-rotated", "Tokens");
    check((await scim("GET", "acme", "/Users", rotated)).status === 200, "the rotated token is refused");
    check((await scim("GET", "acme", "/Users", token)).status === 200, "the old token stopped before its grace period");

    step("revoke both tokens: the SCIM API answers 401");
    // Two tokens (the rotated one and its successor), each with a Revoke button until revoked.
    for (let round = 0; ; round += 1) {
      const revoke = await driver.findElements(By.css("main button.danger[aria-label^='Revoke token']"));
      if (revoke.length === 0) break;
      check(round < 2, `${revoke.length} Revoke button(s) left after revoking both tokens`);
      await clickThrough(revoke[0]);
    }
    check((await text()).match(/revoked/g)?.length >= 2, "the token list does not show both tokens revoked");
    await visited("tokens-revoked", "Tokens");
    for (const [name, t] of [["rotated", rotated], ["original", token]]) {
      const answer = await scim("GET", "acme", "/Users", t);
      check(answer.status === 401, `the revoked ${name} token answered ${answer.status}`);
    }

    step("webhooks, audit log and share access");
    const hook = await adminApi("POST", "/tenants/acme/webhooks", { url: "http://127.0.0.1:9/hook" });
    check(hook.status === 201, `webhook not registered: ${hook.status} ${hook.text}`);
    await open("/console/t/acme/webhooks");
    await visited("webhooks", "Webhooks");
    await click("main a[href^='/console/t/acme/webhooks/']");
    await visited("webhook");
    await open("/console/t/acme/audit");
    await visited("audit", "Audit log");
    check((await text()).includes("console:"), "the audit log shows no console actor");
    await open("/console/t/acme/access");
    await visited("share-access");

    step("on a phone and in dark mode: no sideways scrolling, axe-core again");
    await viewport(390, 844, true);
    for (const [name, url] of [["phone-overview", "/console/t/acme"], ["phone-tokens", "/console/t/acme/tokens"],
      ["phone-requests", "/console/t/acme/requests"], ["phone-user", `/console/t/acme/users/${user.json.id}`]]) {
      await open(url);
      await visited(name);
      const overflow = await driver.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
      check(overflow <= 0, `${name}: the page is ${overflow}px wider than a 390px phone screen`);
    }
    await viewport(1280, 800);
    await colorScheme("dark");
    for (const [name, url] of [["dark-overview", "/console/t/acme"], ["dark-tokens", "/console/t/acme/tokens"],
      ["dark-requests", "/console/t/acme/requests"], ["dark-webhooks", "/console/t/acme/webhooks"]]) {
      await open(url);
      await visited(name);
    }
    await colorScheme("light");

    step("sign out ends the session");
    await click("header form[action='/console/t/acme/sign-out'] button");
    await driver.wait(until.urlIs(`${origin}/console/signed-out`), WAIT_MS);
    await visited("signed-out", "Signed out");
    const after = await http("GET", "/console/t/acme", { cookie });
    check(after.status === 401, `the ended session's cookie answered ${after.status}, expected 401`);

    step("accessibility (axe-core, serious and critical)");
    if (axeProblems.length > 0) {
      throw new StepFailed(`${axeProblems.length} serious or critical axe-core violation(s):\n${axeProblems.join("\n")}`);
    }
    console.log(`console browser proof: ${shotNumber} pages checked by axe-core, screenshots in ${shots}`);
  } catch (err) {
    try {
      fs.writeFileSync(path.join(shots, "failed.png"), await driver.takeScreenshot(), "base64");
      console.error(`page at failure: ${await driver.getCurrentUrl()}`);
    } catch {
      // The browser itself is gone; the message below is all there is.
    }
    console.error(`FAILED at step "${currentStep}": ${err instanceof StepFailed ? err.message : err.stack || err}`);
    process.exitCode = 1;
  } finally {
    await driver.quit();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
