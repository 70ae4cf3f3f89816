// Regenerates task_categories and task_ids of src/Alimentar.Hub/Cards/card-metadata.json from the
// installed @huggingface/tasks package (npm ci --prefix conformance first):
//   node tools/regen-card-metadata.mjs
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(new URL("../conformance/package.json", import.meta.url));
const { PIPELINE_DATA } = await import(require.resolve("@huggingface/tasks"));
const path = new URL("../src/Alimentar.Hub/Cards/card-metadata.json", import.meta.url);
const metadata = JSON.parse(readFileSync(path, "utf8"));
metadata.task_categories = Object.entries(PIPELINE_DATA).map(([id, d]) => ({ id, name: d.name, modality: d.modality, ...(d.hideInDatasets ? { hidden: true } : {}) }));
metadata.task_ids = Object.entries(PIPELINE_DATA).flatMap(([parent, d]) => (d.subtasks ?? []).map((s) => ({ id: s.type, name: s.name, parent })));
const temp = path.pathname + ".tmp";
writeFileSync(temp, JSON.stringify(metadata, null, 1) + "\n");
renameSync(temp, path);
console.log(`task_categories: ${metadata.task_categories.length}, task_ids: ${metadata.task_ids.length}`);
