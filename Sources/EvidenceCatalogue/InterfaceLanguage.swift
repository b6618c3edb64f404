/// The language the interface speaks in this process, chosen once at start.
///
/// The choice, first that applies: `--ui-lang CODE`, then `EVIDENCE_LANG`, then the choice kept in the vault
/// folder (`settings.json`, written when `--ui-lang` is given), then `LC_ALL`, `LC_MESSAGES`, `LANG` (the first of
/// these that is set, as POSIX reads them), then English. A code with no catalogue is passed over.
///
/// The kept choice comes before the locale variables, unlike the usual order, because nearly every system sets
/// `LANG` (often to English) without the person choosing it; a language the person chose once should stay chosen.
public enum InterfaceLanguage {
  /// Where a language can come from, for `--ui-lang` and its error.
  public enum Source: Equatable, Sendable {
    case option, environment, vaultSettings, locale, fallback
  }

  /// The catalogue every text of this process comes from.
  nonisolated(unsafe) public private(set) static var current: Catalogue = .english

  /// Makes `catalogue` the language of this process.
  public static func use(_ catalogue: Catalogue) { current = catalogue }

  /// The language for this process and where it came from.
  /// - Parameters:
  ///   - option: the value of `--ui-lang`, if given.
  ///   - saved: the language kept in the vault folder, if any.
  public static func choose(
    option: String?, environment: [String: String], saved: String?
  ) -> (catalogue: Catalogue, source: Source) {
    if let option, let catalogue = Catalogue.named(option) { return (catalogue, .option) }
    if let code = environment["EVIDENCE_LANG"], let catalogue = Catalogue.named(code) {
      return (catalogue, .environment)
    }
    if let saved, let catalogue = Catalogue.named(saved) { return (catalogue, .vaultSettings) }
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      guard let value = environment[name], !value.isEmpty else { continue }
      // The first variable that is set decides, as setlocale(3) reads them: LC_ALL=C means English.
      return Catalogue.named(value).map { ($0, .locale) } ?? (.english, .locale)
    }
    return (.english, .fallback)
  }
}

extension String {
  /// `phrase` in the interface's language, with its placeholders filled in.
  public init(_ phrase: Phrase, _ values: [String: String] = [:]) {
    self = InterfaceLanguage.current.text(phrase, values)
  }

  /// `phrase` in the interface's language, its plural form chosen by `count` (also filled in as `{count}`).
  public init(_ phrase: Phrase, count: Int, _ values: [String: String] = [:]) {
    self = InterfaceLanguage.current.text(phrase, count: count, values)
  }
}
