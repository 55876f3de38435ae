export { SqsModel } from "./model.ts";
