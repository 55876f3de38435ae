export { SqsModel, type SqsModelContext } from "./model.ts";
