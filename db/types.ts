import type { Db } from "./client";

/** A transaction handle of either driver; services that must join a caller's transaction take `DbOrTx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;
