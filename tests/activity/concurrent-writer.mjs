// A second (and third) process writing the activity log of one instance at the same time as
// tests/activity/paging.test.ts: transactions of 1–3 entries, about one in five rolled back.
// Usage: node concurrent-writer.mjs <database url> <instance id> <transactions> <seed>
import postgres from "postgres";

const [url, instanceId, transactions, seed] = process.argv.slice(2);
let state = Number(seed) || 1;
const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const sql = postgres(url, { max: 1, onnotice: () => {} });
const rollback = new Error("rollback");
let committed = 0;
for (let t = 0; t < Number(transactions); t++) {
  const entries = 1 + Math.floor(random() * 3);
  const abort = random() < 0.2;
  try {
    await sql.begin(async (tx) => {
      for (let e = 0; e < entries; e++) {
        await tx`insert into activity_log (instance_id, action, description, ip) values (${Number(instanceId)}, ${random() < 0.5 ? "manage.login" : "server.reboot"}, ${`Prozess ${seed} #${t}.${e}`}, '203.0.113.9')`;
        if (random() < 0.3) await tx`select pg_sleep(0.002)`;
      }
      if (abort) throw rollback;
    });
    committed += entries;
  } catch (error) {
    if (error !== rollback) throw error;
  }
}
await sql.end();
process.stdout.write(JSON.stringify({ committed }));
