# workerd serves the bundled worker; the runner fills in the port and the wasm modules.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:@PORT@", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
@WASM_MODULES@
  ],
  compatibilityDate = "2025-06-01",
);
