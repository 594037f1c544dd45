import { createApp, registerRoutes } from "@shop/runtime";
import { database } from "./db/client";
import type { ProductsEnv } from "./env";
import { listCategoriesHandler, listCategoriesRoute } from "./routes/categories/list";
import { arrangeImagesHandler, arrangeImagesRoute } from "./routes/images/arrange";
import { deleteImageHandler, deleteImageRoute } from "./routes/images/delete";
import { listImagesHandler, listImagesRoute } from "./routes/images/list";
import { serveImageHandler, serveImageRoute } from "./routes/images/serve";
import { IMAGE_UPLOAD, uploadImageHandler, uploadImageRoute } from "./routes/images/upload";
import { createMarketHandler, createMarketRoute } from "./routes/markets/create";
import { listMarketsHandler, listMarketsRoute } from "./routes/markets/list";
import {
  listMarketPricesHandler,
  listMarketPricesRoute,
  setMarketPricesHandler,
  setMarketPricesRoute,
} from "./routes/markets/prices";
import { updateMarketHandler, updateMarketRoute } from "./routes/markets/update";
import { archiveProductHandler, archiveProductRoute } from "./routes/products/archive";
import { createProductHandler, createProductRoute } from "./routes/products/create";
import { getProductHandler, getProductRoute } from "./routes/products/get";
import { getInventoryHandler, getInventoryRoute } from "./routes/products/get-inventory";
import { listProductsHandler, listProductsRoute } from "./routes/products/list";
import { listInventoryHandler, listInventoryRoute } from "./routes/products/list-inventory";
import { setInventoryHandler, setInventoryRoute } from "./routes/products/set-inventory";
import { updateProductHandler, updateProductRoute } from "./routes/products/update";
import { createVariantHandler, createVariantRoute } from "./routes/variants/create";
import { listVariantsHandler, listVariantsRoute } from "./routes/variants/list";
import { setVariantInventoryHandler, setVariantInventoryRoute } from "./routes/variants/set-inventory";
import { setOptionsHandler, setOptionsRoute } from "./routes/variants/set-options";
import { updateVariantHandler, updateVariantRoute } from "./routes/variants/update";

export const app = createApp<ProductsEnv>("products", {
  openapi: {
    title: "Shop products",
    description: "Catalog, search, categories and stock. Catalog reads are edge-cached and versioned.",
  },
  // Every handler hands `c.var.ctx` (drizzle over DB, bindings, request meta, principal) to its service.
  serviceContext: (env) => database(env.DB),
  // Image uploads are raw bytes up to 5 MB, not JSON (ADR 0025).
  uploads: [IMAGE_UPLOAD],
});

registerRoutes(app, [
  [listProductsRoute, listProductsHandler],
  // Before `/products/{id}`, which would refuse "inventory" as a product id.
  [listInventoryRoute, listInventoryHandler],
  [getProductRoute, getProductHandler],
  [listCategoriesRoute, listCategoriesHandler],
  [createProductRoute, createProductHandler],
  [updateProductRoute, updateProductHandler],
  [archiveProductRoute, archiveProductHandler],
  [getInventoryRoute, getInventoryHandler],
  [setInventoryRoute, setInventoryHandler],
  [setOptionsRoute, setOptionsHandler],
  [listVariantsRoute, listVariantsHandler],
  [createVariantRoute, createVariantHandler],
  [updateVariantRoute, updateVariantHandler],
  [setVariantInventoryRoute, setVariantInventoryHandler],
  [listImagesRoute, listImagesHandler],
  [uploadImageRoute, uploadImageHandler],
  [arrangeImagesRoute, arrangeImagesHandler],
  [deleteImageRoute, deleteImageHandler],
  [serveImageRoute, serveImageHandler],
  [listMarketsRoute, listMarketsHandler],
  [createMarketRoute, createMarketHandler],
  [updateMarketRoute, updateMarketHandler],
  [listMarketPricesRoute, listMarketPricesHandler],
  [setMarketPricesRoute, setMarketPricesHandler],
]);
