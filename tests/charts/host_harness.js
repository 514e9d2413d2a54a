// A minimal MCP Apps host for the tests: loads a view in a sandboxed iframe (srcdoc, an opaque
// origin like real hosts), answers ui/initialize with a hostContext and, once the view says
// it is initialized, sends tool-input then tool-result. Everything the view sends is logged.
window.hostLog = [];
window.resultsDrawn = 0;

window.startHost = ({ html, toolInput, toolResult, hostContext, width }) => {
  const iframe = document.createElement("iframe");
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.style.cssText = `border:0;width:${width || 640}px;height:200px;display:block`;
  const post = (msg) => iframe.contentWindow.postMessage(msg, "*");
  window.hostSend = post;
  let resultSent = false;
  window.addEventListener("message", (e) => {
    if (e.source !== iframe.contentWindow) return;
    const m = e.data;
    window.hostLog.push(m);
    if (m.method === "ui/initialize") {
      post({ jsonrpc: "2.0", id: m.id, result: {
        protocolVersion: "2026-01-26", hostInfo: { name: "test-host", version: "0.0.0" },
        hostCapabilities: { serverTools: {}, serverResources: {}, openLinks: {}, logging: {} },
        hostContext,
      } });
    } else if (m.method === "ui/notifications/initialized") {
      if (toolInput != null) post({ jsonrpc: "2.0", method: "ui/notifications/tool-input", params: { arguments: toolInput } });
      if (toolResult != null) {
        post({ jsonrpc: "2.0", method: "ui/notifications/tool-result", params: toolResult });
        resultSent = true;
      }
    } else if (m.method === "ui/notifications/size-changed") {
      iframe.style.height = Math.ceil(m.params.height) + "px";
      if (resultSent) window.resultsDrawn += 1;
    }
  });
  iframe.srcdoc = html;
  document.body.appendChild(iframe);
};
