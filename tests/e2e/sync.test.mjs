// The sync in a real window: a text sent from outside Switchboard (the Twilio Console, another
// app on the account) shows in its conversation, with who sent it and what became of it.

import { describe, test } from "node:test";

import { connect, launch, openConversation, screenshot, startSimulator, waitForBubble, waitForText } from "./harness.mjs";

const ACCOUNT = "AC5e1dfa11e0fedcba9876543210fedcba";
const TOKEN = "e2e-sync-token";
// The simulator's first sender number (its demo world) and a number the scenario fails.
const SENDER = "+15005550006";
const UNREACHABLE = "+13125550177";
const SCENARIO = `
[[outcomes]]
to = "${UNREACHABLE}"
status = "undelivered"
code = 30003
`;

/** Sends a text straight through the simulator's Messages API, as the Twilio Console would. */
async function sendFromConsole(simUrl, to, body) {
  const answer = await fetch(`${simUrl}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString("base64")}` },
    body: new URLSearchParams({ From: SENDER, To: to, Body: body }),
  });
  if (!answer.ok) throw new Error(`the simulator refused the create: ${answer.status} ${await answer.text()}`);
}

describe("the sync in a real window", () => {
  test("a text sent from the Twilio Console shows as Outside Switchboard, with its failure", async (t) => {
    const simulator = await startSimulator(ACCOUNT, TOKEN, SCENARIO);
    const opened = await launch(t.name);
    try {
      const { browser } = opened;
      await connect(browser, { account: ACCOUNT, token: TOKEN, url: simulator.url });
      const body = `Sent from the Console (${Date.now()})`;
      await sendFromConsole(simulator.url, UNREACHABLE, body);
      await openConversation(browser, UNREACHABLE);
      await waitForBubble(browser, "undelivered", (b) => b.text === body && b.status === "undelivered");
      const bubble = '[data-testid="message"][data-status="undelivered"]';
      await waitForText(browser, `${bubble} [data-testid="message-author"]`, /^Outside Switchboard$/, "the text is not shown as sent from outside Switchboard");
      await waitForText(browser, `${bubble} [data-testid="message-failure"]`, /30003/, "the carrier's failure is not shown");
      await screenshot(browser, "outside-switchboard");
    } finally {
      await opened.close();
      simulator.sim.kill();
    }
  });
});
