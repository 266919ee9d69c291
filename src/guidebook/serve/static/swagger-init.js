// The API's documentation from /openapi.json, drawn by Swagger UI (shipped in this package).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
