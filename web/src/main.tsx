import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import "./style.css";
import { relayWalletReturn } from "./wallet-return.ts";

// a wallet's window sent back here hands its answer to the app's window and closes (wallet-return.ts)
if (!relayWalletReturn()) createRoot(document.getElementById("root")!).render(<App />);
