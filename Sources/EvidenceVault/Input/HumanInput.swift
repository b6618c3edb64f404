import Foundation

/// Reading the words people type for categories, roles, amounts and time zones, in English or Swedish.
extension IncidentCategory {
  /// Everyday words people and the police use, in Swedish and English, and the category each is kept as.
  ///
  /// The categories stay as they are; each word goes to the closest one:
  ///
  /// | words | category |
  /// |---|---|
  /// | olaga hot, hot, hotad; threat, threats, threatened | threat |
  /// | misshandel, våld, slag; assault, violence, beating, hit | physical-violence |
  /// | sexuellt våld, våldtäkt, sexuellt övergrepp, koppleri; sexual violence, rape, sexual abuse, pimping | sexual-violence |
  /// | olaga frihetsberövande, inlåst, inlåsning; locked in, unlawful imprisonment, confinement | restriction-of-movement |
  /// | människohandel, tvångsarbete; trafficking, human trafficking, forced labour, forced labor | forced-labour |
  /// | tiggeri, tvingad att stjäla, brott; begging, forced to steal, crime | coercion-into-crime-or-begging |
  /// | utpressning, skuld, pengar tagna, pengar; extortion, blackmail, debt, money taken, money | debt-or-money-taken |
  /// | pass taget, pass, dokument; passport taken, passport, documents taken, documents | documents-taken |
  /// | förföljelse, olaga förföljelse, stalkning, ofredande, övervakning; stalking, harassment, surveillance | stalking-or-surveillance |
  /// | hot på nätet, näthat; online threats, online abuse, online | online-abuse |
  /// | skadegörelse; damage, property damage, vandalism | damage-to-property |
  /// | övrigt, annat; other | other |
  ///
  /// The close calls: människohandel (trafficking) is kept as forced-labour, the exploitation it is for; a person
  /// trafficked for sex adds sexual-violence too. Koppleri (pimping) is sexual exploitation, so sexual-violence.
  /// Utpressning (extortion) is a demand for money under threat, kept with the money; add threat as well when it
  /// was a threat. Ofredande (harassment) is kept with stalking, the repeated kind of it.
  private static let synonyms: [String: IncidentCategory] = [
    // Swedish
    "olaga-hot": .threat, "hot": .threat, "hotad": .threat, "hotade": .threat,
    "misshandel": .physicalViolence, "våld": .physicalViolence, "slag": .physicalViolence,
    "fysiskt-våld": .physicalViolence,
    "sexuellt-våld": .sexualViolence, "våldtäkt": .sexualViolence, "sexuellt-övergrepp": .sexualViolence,
    "koppleri": .sexualViolence,
    "olaga-frihetsberövande": .restrictionOfMovement, "inlåst": .restrictionOfMovement,
    "inlåsning": .restrictionOfMovement,
    "människohandel": .forcedLabour, "tvångsarbete": .forcedLabour,
    "tiggeri": .coercionIntoCrimeOrBegging, "brott": .coercionIntoCrimeOrBegging,
    "tvingad-att-stjäla": .coercionIntoCrimeOrBegging,
    "utpressning": .debtOrMoneyTaken, "skuld": .debtOrMoneyTaken, "pengar-tagna": .debtOrMoneyTaken,
    "pengar": .debtOrMoneyTaken,
    "pass-taget": .documentsTaken, "pass": .documentsTaken, "dokument": .documentsTaken,
    "förföljelse": .stalkingOrSurveillance, "olaga-förföljelse": .stalkingOrSurveillance,
    "stalkning": .stalkingOrSurveillance, "ofredande": .stalkingOrSurveillance,
    "övervakning": .stalkingOrSurveillance,
    "hot-på-nätet": .onlineAbuse, "näthat": .onlineAbuse,
    "skadegörelse": .damageToProperty,
    "övrigt": .other, "annat": .other,
    // English
    "threat": .threat, "threats": .threat, "threatened": .threat,
    "violence": .physicalViolence, "physical": .physicalViolence, "assault": .physicalViolence,
    "beating": .physicalViolence, "hit": .physicalViolence,
    "sexual": .sexualViolence, "sexual-abuse": .sexualViolence, "sexual-violence": .sexualViolence,
    "rape": .sexualViolence, "pimping": .sexualViolence,
    "movement": .restrictionOfMovement, "locked-in": .restrictionOfMovement,
    "unlawful-imprisonment": .restrictionOfMovement, "confinement": .restrictionOfMovement,
    "labour": .forcedLabour, "labor": .forcedLabour, "forced-labor": .forcedLabour, "forced-labour": .forcedLabour,
    "trafficking": .forcedLabour, "human-trafficking": .forcedLabour,
    "crime": .coercionIntoCrimeOrBegging, "begging": .coercionIntoCrimeOrBegging,
    "forced-to-steal": .coercionIntoCrimeOrBegging,
    "debt": .debtOrMoneyTaken, "money": .debtOrMoneyTaken, "money-taken": .debtOrMoneyTaken,
    "extortion": .debtOrMoneyTaken, "blackmail": .debtOrMoneyTaken,
    "documents": .documentsTaken, "passport": .documentsTaken, "passport-taken": .documentsTaken,
    "documents-taken": .documentsTaken,
    "stalking": .stalkingOrSurveillance, "surveillance": .stalkingOrSurveillance,
    "harassment": .stalkingOrSurveillance,
    "online": .onlineAbuse, "online-threats": .onlineAbuse, "online-abuse": .onlineAbuse,
    "damage": .damageToProperty, "property": .damageToProperty, "property-damage": .damageToProperty,
    "vandalism": .damageToProperty,
    "other": .other,
  ]

  /// The same words with å, ä and ö written as a, a and o, kept only where that cannot mean two categories.
  private static let foldedSynonyms: [String: IncidentCategory] = {
    var folded: [String: IncidentCategory] = [:]
    var clashing: Set<String> = []
    for (word, category) in synonyms {
      let key = fold(word)
      if key == word || synonyms[key] != nil { continue }
      if let earlier = folded[key], earlier != category { clashing.insert(key) }
      folded[key] = category
    }
    for key in clashing { folded[key] = nil }
    return folded
  }()

  /// Lower case, trimmed, with runs of spaces, hyphens and underscores as one hyphen.
  static func normalisedKey(_ text: String) -> String {
    let lowered = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
    var key = ""
    var pendingSeparator = false
    for character in lowered {
      if character == " " || character == "-" || character == "_" || character == "\t" {
        pendingSeparator = !key.isEmpty
      } else {
        if pendingSeparator { key.append("-") }
        pendingSeparator = false
        key.append(character)
      }
    }
    return key
  }

  private static func fold(_ key: String) -> String {
    String(
      key.map { character -> Character in
        switch character {
        case "å", "ä": "a"
        case "ö": "o"
        case "é": "e"
        default: character
        }
      })
  }

  /// The names a hint lists for a person writing in `language` ("sv" or "en", as an ISO 639-1 code; anything
  /// else is English): one everyday word per category, in the order of `allCases`. Each name is accepted by
  /// `init(userText:)`.
  public static func everydayNames(language: String = "en") -> [String] {
    let swedish = language.lowercased().hasPrefix("sv")
    return allCases.map { swedish ? $0.swedishName : $0.englishName }
  }

  /// The Swedish word a hint shows for this category.
  public var swedishName: String {
    switch self {
    case .threat: "hot"
    case .physicalViolence: "våld"
    case .sexualViolence: "sexuellt våld"
    case .forcedLabour: "tvångsarbete"
    case .coercionIntoCrimeOrBegging: "tiggeri"
    case .debtOrMoneyTaken: "skuld"
    case .documentsTaken: "pass taget"
    case .restrictionOfMovement: "inlåst"
    case .stalkingOrSurveillance: "förföljelse"
    case .onlineAbuse: "hot på nätet"
    case .damageToProperty: "skadegörelse"
    case .other: "övrigt"
    }
  }

  /// The English word a hint shows for this category.
  public var englishName: String {
    switch self {
    case .threat: "threat"
    case .physicalViolence: "violence"
    case .sexualViolence: "sexual violence"
    case .forcedLabour: "forced labour"
    case .coercionIntoCrimeOrBegging: "begging"
    case .debtOrMoneyTaken: "debt"
    case .documentsTaken: "passport taken"
    case .restrictionOfMovement: "locked in"
    case .stalkingOrSurveillance: "stalking"
    case .onlineAbuse: "online abuse"
    case .damageToProperty: "damage"
    case .other: "other"
    }
  }

  /// The category a person typed, by its name or a common English or Swedish word for it.
  ///
  /// Case does not matter, spaces and hyphens are the same, and å, ä, ö may be written a, a, o where that
  /// cannot mean another category ("vald" is våld).
  /// - Throws: `invalidInput` listing the names.
  public init(userText: String) throws(VaultError) {
    let key = Self.normalisedKey(userText)
    if let category = IncidentCategory(rawValue: key) ?? Self.synonyms[key] ?? Self.foldedSynonyms[key] {
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
