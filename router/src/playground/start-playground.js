// Boots GraphiQL with the configuration the router embedded in the page (example operations, default headers).
// A static file rather than an inline script, so the page's Content-Security-Policy can forbid inline scripts.
(function () {
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  var props = {
    fetcher: fetcher,
    defaultTabs: config.tabs,
    defaultHeaders: config.headers,
    headerEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: 'variables',
  };
  // GraphiQL 3 fills the query editor from the first default tab but the variables editor only from its own
  // `variables` prop (or what it stored), so on a first visit the first example would run without its variables.
  // Hand them over when nothing is stored yet; once tabs are stored, GraphiQL restores each tab with its own.
  var stored = null;
  try {
    stored = window.localStorage.getItem('graphiql:tabState');
  } catch {
    // Storage disabled: GraphiQL then starts from the defaults every time.
  }
  if (!stored && config.tabs.length > 0 && config.tabs[0].variables) props.variables = config.tabs[0].variables;
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, props));
})();
