// `make lint` checks the portal's own scripts (static/js): plain browser scripts loaded
// as they are, no build step. Leaflet (L) and Django's JavaScript catalogue are globals.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "staticfiles/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: {
        ...globals.browser,
        L: "readonly",
        django: "readonly",
        gettext: "readonly",
        ngettext: "readonly",
        interpolate: "readonly",
      },
    },
    rules: { "no-unused-vars": ["error", { args: "none" }] },
  },
];
