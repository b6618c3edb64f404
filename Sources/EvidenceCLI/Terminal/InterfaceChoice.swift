import EvidenceCatalogue
import EvidenceVault
import Foundation

/// Chooses the interface language before anything is printed, and keeps a `--ui-lang` choice in the journal's
/// folder so that the next command (and its passphrase prompt) speaks it too.
///
/// `--ui-lang` is taken out of the arguments before ArgumentParser sees them: it belongs to every command, and to
/// none in particular. Everything after a `--` is left as it is.
enum InterfaceChoice {
  /// The language given with `--ui-lang` in this run, if one was: `init` keeps it in the vault it makes.
  nonisolated(unsafe) private(set) static var explicit: Catalogue?

  /// Sets the interface language from the arguments, the environment and the journal's settings.
  /// - Returns: the arguments without `--ui-lang` and its value.
  static func apply(
    to arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(CommandFailure) -> [String] {
    var rest: [String] = []
    var option: String?
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let argument = arguments[index]
      if argument == "--" {
        rest += arguments[index...]
        break
      }
      if argument == "--ui-lang" {
        guard index + 1 < arguments.endIndex else {
          throw CommandFailure(message: String(.interfaceLanguageMissing))
        }
        option = arguments[index + 1]
        index += 2
        continue
      }
      if argument.hasPrefix("--ui-lang=") {
        option = String(argument.dropFirst("--ui-lang=".count))
      } else {
        rest.append(argument)
      }
      index += 1
    }
    let folder = VaultOptions.folder(vaultArgument(in: rest))
    let saved = VaultSettings.read(in: folder).language
    let chosen = InterfaceLanguage.choose(option: option, environment: environment, saved: saved)
    InterfaceLanguage.use(chosen.catalogue)
    if let option {
      guard chosen.source == .option else {
        throw CommandFailure(
          message: String(
            .unknownInterfaceLanguage,
            ["given": option, "codes": Catalogue.all.map(\.code).joined(separator: ", ")]))
      }
      explicit = chosen.catalogue
      if saved != chosen.catalogue.code { keep(in: folder) }
    }
    return rest
  }

  /// Keeps the `--ui-lang` choice in the vault at `folder`, if there is one there (`init` calls this once the
  /// vault exists).
  static func keep(in folder: URL) {
    guard let explicit,
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("vault.json").path)
    else { return }
    do throws(VaultError) {
      try VaultSettings(language: explicit.code).write(in: folder)
    } catch {
      Diagnostics.warning(String(.interfaceLanguageNotKept, ["reason": error.message]))
    }
  }

  /// The value of `--vault` in the arguments, if given.
  private static func vaultArgument(in arguments: [String]) -> String? {
    for (index, argument) in arguments.enumerated() {
      if argument == "--" { break }
      if argument == "--vault", index + 1 < arguments.count { return arguments[index + 1] }
      if argument.hasPrefix("--vault=") { return String(argument.dropFirst("--vault=".count)) }
    }
    return nil
  }
}
