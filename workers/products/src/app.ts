import { createApp, registerRoutes } from "@shop/runtime";
import { database } from "./db/client";
import type { ProductsEnv } from "./env";
import { listCategoriesHandler, listCategoriesRoute } from "./routes/categories/list";
import { archiveProductHandler, archiveProductRoute } from "./routes/products/archive";
import { createProductHandler, createProductRoute } from "./routes/products/create";
import { getProductHandler, getProductRoute } from "./routes/products/get";
import { getInventoryHandler, getInventoryRoute } from "./routes/products/get-inventory";
import { listProductsHandler, listProductsRoute } from "./routes/products/list";
import { setInventoryHandler, setInventoryRoute } from "./routes/products/set-inventory";
import { updateProductHandler, updateProductRoute } from "./routes/products/update";

export const app = createApp<ProductsEnv>("products", {
  openapi: {
    title: "Shop products",
    description: "Catalog, search, categories and stock. Catalog reads are edge-cached and versioned.",
  },
  // Every handler hands `c.var.ctx` (drizzle over DB, bindings, request meta, principal) to its service.
  serviceContext: (env) => database(env.DB),
});

registerRoutes(app, [
  [listProductsRoute, listProductsHandler],
  [getProductRoute, getProductHandler],
  [listCategoriesRoute, listCategoriesHandler],
  [createProductRoute, createProductHandler],
  [updateProductRoute, updateProductHandler],
  [archiveProductRoute, archiveProductHandler],
  [getInventoryRoute, getInventoryHandler],
  [setInventoryRoute, setInventoryHandler],
]);
