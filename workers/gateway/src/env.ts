import type { AppEnv } from "@shop/runtime";
import type { ServiceBinding } from "./services";

type GatewayBindings = Omit<Env, ServiceBinding> & Partial<Record<ServiceBinding, Fetcher>>;
export type GatewayEnv = AppEnv<GatewayBindings>;
