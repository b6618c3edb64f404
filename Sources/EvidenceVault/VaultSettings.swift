import Foundation

/// What the person chose for this journal that must be known before it is unlocked: the language of the interface
/// (the passphrase prompt is already in it).
///
/// `settings.json` in the vault folder, in clear text, like `vault.json`: `{"language":"sv"}`. It says which
/// language the person reads and nothing about what the journal holds. A missing, unreadable or oversized file is
/// no choice; writing it is crash-safe like every whole-file write.
public struct VaultSettings: Codable, Equatable, Sendable {
  public static let fileName = "settings.json"

  /// The interface language's code (`sv`, `en`), if the person chose one.
  public var language: String?

  public init(language: String? = nil) { self.language = language }

  /// The settings kept in `folder`; none when there are none or they cannot be read.
  public static func read(in folder: URL) -> VaultSettings {
    guard let bytes = try? DurableFiles.read(folder.appendingPathComponent(fileName), limit: 4096),
      let settings = try? JSONDecoder().decode(VaultSettings.self, from: Data(bytes))
    else { return VaultSettings() }
    // Only a short code of letters: the file is read before anything is unlocked, from a folder others may reach.
    guard let language = settings.language, language.count <= 8, language.allSatisfy(\.isLetter) else {
      return VaultSettings()
    }
    return settings
  }

  /// Keeps these settings in `folder`, which must hold a vault.
  /// - Throws: `notAVault` when there is no vault there; `fileSystem` or `diskFull` when the file cannot be written.
  public func write(in folder: URL) throws(VaultError) {
    guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(Vault.Layout.header).path) else {
      throw VaultError(.notAVault, "There is no journal at \(folder.path) to keep the settings in.")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(self) else { preconditionFailure("settings encoding failed") }
    try DurableFiles.replace(folder.appendingPathComponent(Self.fileName), with: Array(data) + [0x0a])
  }
}
