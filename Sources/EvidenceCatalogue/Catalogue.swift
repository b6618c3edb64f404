/// The texts of the interface in one language: every question, answer check, summary, error and hint the program
/// prints, under a `Phrase`.
///
/// A language is one file in `Languages/` (`sv.swift`, `en.swift`) holding one `Catalogue`, and one line in
/// `Catalogue.all`. A wording names what it fills in as `{placeholder}`; a wording that depends on a number is a
/// `.plural(one:other:)` with the number as `{count}`. `CatalogueTests` fails when a language lacks a phrase, has a
/// plural where English has none (or the other way round), or names other placeholders than English does.
public struct Catalogue: Sendable {
  /// The language's code, as in `--ui-lang sv` and in `LANG=sv_SE.UTF-8`: ISO 639-1, lower case.
  public let code: String
  /// The language's name in itself ("Svenska"), for the menu that chooses one.
  public let name: String
  let wordings: [Phrase: Wording]

  public init(code: String, name: String, wordings: [Phrase: Wording]) {
    self.code = code
    self.name = name
    self.wordings = wordings
  }

  /// Every language the interface speaks, English first (the fallback).
  public static let all: [Catalogue] = [.english, .swedish]

  /// The language for a code ("sv", "SV", "sv_SE.UTF-8", "sv-SE"), or nil when there is none for it.
  public static func named(_ code: String) -> Catalogue? {
    let language = code.prefix { $0.isLetter }.lowercased()
    return all.first { $0.code == language }
  }

  /// True when this language has its own wording for `phrase`.
  public func has(_ phrase: Phrase) -> Bool { wordings[phrase] != nil }

  /// The wording of `phrase` in this language, else in English.
  public func wording(_ phrase: Phrase) -> Wording {
    wordings[phrase] ?? Catalogue.english.wordings[phrase] ?? .plain("\(phrase)")
  }

  /// `phrase` with its placeholders filled in; a plural takes its form from `count`.
  public func text(_ phrase: Phrase, count: Int? = nil, _ values: [String: String] = [:]) -> String {
    let template: String
    switch wording(phrase) {
    case .plain(let text): template = text
    case .plural(let one, let other): template = count == 1 ? one : other
    }
    var filled = values
    if let count { filled["count"] = String(count) }
    return Wording.fill(template, with: filled)
  }
}

/// What a phrase says in one language: one text, or one for a single thing and one for any other number.
public enum Wording: Sendable, Equatable, ExpressibleByStringLiteral {
  case plain(String)
  case plural(one: String, other: String)

  public init(stringLiteral value: String) { self = .plain(value) }

  /// The texts of this wording (one, or both plural forms).
  public var forms: [String] {
    switch self {
    case .plain(let text): [text]
    case .plural(let one, let other): [one, other]
    }
  }

  /// The names between `{` and `}` in `text`.
  public static func placeholders(in text: String) -> Set<String> {
    var names: Set<String> = []
    var rest = text[...]
    while let open = rest.firstIndex(of: "{") {
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: "}") else { break }
      names.insert(String(after[..<close]))
      rest = after[after.index(after: close)...]
    }
    return names
  }

  /// `template` with each `{name}` replaced by its value; a name without a value is left as it is.
  static func fill(_ template: String, with values: [String: String]) -> String {
    guard !values.isEmpty, template.contains("{") else { return template }
    var result = ""
    var rest = template[...]
    while let open = rest.firstIndex(of: "{") {
      result += rest[..<open]
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: "}") else {
        rest = rest[open...]
        break
      }
      let name = String(after[..<close])
      result += values[name] ?? "{\(name)}"
      rest = after[after.index(after: close)...]
    }
    return result + rest
  }
}
