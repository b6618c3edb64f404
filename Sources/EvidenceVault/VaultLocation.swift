import Foundation

/// Where a vault is kept when no folder is named.
///
/// A new vault's default folder has a neutral name (`ej`, under the data folder of the desktop: nothing in it says
/// what it holds), so that a glance at the home folder does not tell. Vaults made before kept the old default name
/// (`evidence-journal`) and are still found there.
public enum VaultLocation {
  /// The name of the default folder of a new vault.
  public static let neutralName = "ej"
  /// The default folder's name before it was made neutral.
  public static let earlierName = "evidence-journal"

  /// The folder a command uses: `--vault`, else `EVIDENCE_VAULT`, else a vault at the earlier default place, else
  /// the neutral default.
  public static func folder(
    named vault: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    home: URL = FileManager.default.homeDirectoryForCurrentUser
  ) -> URL {
    if let vault { return URL(fileURLWithPath: (vault as NSString).expandingTildeInPath) }
    if let path = environment["EVIDENCE_VAULT"], !path.isEmpty {
      return URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    }
    let earlier = dataFolder(environment: environment, home: home).appendingPathComponent(earlierName)
    if FileManager.default.fileExists(atPath: earlier.appendingPathComponent(Vault.Layout.header).path) {
      return earlier
    }
    return defaultFolder(environment: environment, home: home)
  }

  /// The neutral default for a new vault: `$XDG_DATA_HOME/ej`, else `~/.local/share/ej`.
  public static func defaultFolder(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    home: URL = FileManager.default.homeDirectoryForCurrentUser
  ) -> URL {
    dataFolder(environment: environment, home: home).appendingPathComponent(neutralName)
  }

  /// True when `folder` was chosen by neither `--vault` nor `EVIDENCE_VAULT`.
  public static func isChosen(
    named vault: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Bool {
    vault != nil || !(environment["EVIDENCE_VAULT"] ?? "").isEmpty
  }

  private static func dataFolder(environment: [String: String], home: URL) -> URL {
    if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return URL(fileURLWithPath: data) }
    return home.appendingPathComponent(".local/share")
  }
}
