import { createApp } from "@shop/runtime";
import type { ProductsEnv } from "./env";

export const app = createApp<ProductsEnv>("products");
