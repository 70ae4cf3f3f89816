// Prints the dataset task categories of the installed @huggingface/tasks, one per line.
import { PIPELINE_DATA } from "@huggingface/tasks";
for (const id of Object.keys(PIPELINE_DATA)) console.log(id);
