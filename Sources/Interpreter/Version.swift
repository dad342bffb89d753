// The tool's version, shown by `repl --version` and written into report manifests.

/// RecScript's version.
package let recScriptVersion = "0.1.0"
