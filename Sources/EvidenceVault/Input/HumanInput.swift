import Foundation

/// Reading the words people type for categories, roles, amounts and time zones, in English or Swedish.
extension IncidentCategory {
  /// Names people may type, besides the raw value, in English and Swedish.
  private static let synonyms: [String: IncidentCategory] = [
    "threat": .threat, "threats": .threat, "hot": .threat,
    "violence": .physicalViolence, "physical": .physicalViolence, "assault": .physicalViolence,
    "våld": .physicalViolence, "misshandel": .physicalViolence,
    "sexual": .sexualViolence, "sexual-abuse": .sexualViolence, "sexuellt-våld": .sexualViolence,
    "labour": .forcedLabour, "labor": .forcedLabour, "forced-labor": .forcedLabour, "tvångsarbete": .forcedLabour,
    "crime": .coercionIntoCrimeOrBegging, "begging": .coercionIntoCrimeOrBegging,
    "tiggeri": .coercionIntoCrimeOrBegging,
    "debt": .debtOrMoneyTaken, "money": .debtOrMoneyTaken, "skuld": .debtOrMoneyTaken, "pengar": .debtOrMoneyTaken,
    "documents": .documentsTaken, "passport": .documentsTaken, "dokument": .documentsTaken, "pass": .documentsTaken,
    "movement": .restrictionOfMovement, "locked-in": .restrictionOfMovement, "inlåst": .restrictionOfMovement,
    "stalking": .stalkingOrSurveillance, "surveillance": .stalkingOrSurveillance,
    "förföljelse": .stalkingOrSurveillance,
    "online": .onlineAbuse, "näthat": .onlineAbuse,
    "damage": .damageToProperty, "property": .damageToProperty, "skadegörelse": .damageToProperty,
    "annat": .other,
  ]

  /// The category a person typed, by its name or a common English or Swedish word for it.
  /// - Throws: `invalidInput` listing the names.
  public init(userText: String) throws(VaultError) {
    let key = userText.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "-")
    if let category = IncidentCategory(rawValue: key) ?? Self.synonyms[key] {
      self = category
      return
    }
    throw VaultError(
      .invalidInput, "\"\(userText)\" is not a category.",
      hint: "Use one of: \(IncidentCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
  }
}

extension MoneyAmount {
  /// Reads `KIND:AMOUNT [CURRENCY]`, for example `demanded:2500`, `paid:300 EUR`, `krävt:2500 kr`.
  /// - Throws: `invalidInput` with an example.
  public init(userText: String) throws(VaultError) {
    let example = "Write it like demanded:2500, paid:300 EUR or taken:1500 SEK."
    let parts = userText.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
    let kinds: [String: Kind] = [
      "demanded": .demanded, "krävt": .demanded, "krävde": .demanded,
      "paid": .paid, "betalt": .paid, "betalade": .paid,
      "withheld": .withheld, "innehållet": .withheld, "ej-utbetalt": .withheld,
      "taken": .taken, "tagit": .taken, "tog": .taken, "stulet": .taken,
    ]
    guard parts.count == 2, let kind = kinds[parts[0].lowercased()] else {
      throw VaultError(
        .invalidInput, "\"\(userText)\" is not an amount with its kind (demanded, paid, withheld or taken).",
        hint: example)
    }
    let words = parts[1].split(separator: " ").map(String.init)
    guard let number = words.first else {
      throw VaultError(.invalidInput, "\"\(userText)\" has no amount.", hint: example)
    }
    let amount = number.replacingOccurrences(of: ",", with: ".")
    guard amount.range(of: #"^[0-9]+(\.[0-9]{1,2})?$"#, options: .regularExpression) != nil else {
      throw VaultError(.invalidInput, "\"\(number)\" is not an amount of money.", hint: example)
    }
    var currency = words.count > 1 ? words[1].uppercased() : "SEK"
    if currency == "KR" || currency == "KRONOR" || currency == ":-" { currency = "SEK" }
    guard words.count <= 2, currency.range(of: "^[A-Z]{3}$", options: .regularExpression) != nil else {
      throw VaultError(
        .invalidInput, "\"\(parts[1])\" is not an amount and a currency code (SEK, EUR, USD…).", hint: example)
    }
    self.init(kind: kind, amount: amount, currency: currency)
  }
}

/// The person's time zone: `TZ` when it names a zone, else Europe/Stockholm.
public enum PersonalTimeZone {
  public static let fallback = "Europe/Stockholm"

  public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeZone {
    if var name = environment["TZ"], !name.isEmpty {
      if name.hasPrefix(":") { name.removeFirst() }
      if let zone = TimeZone(identifier: name) { return zone }
    }
    return TimeZone(identifier: fallback) ?? TimeZone(secondsFromGMT: 3600) ?? .current
  }
}
