import Testing

@testable import EvidenceVault

/// The words people and the police use for what happened, each kept as one of the categories.
@Suite struct CategoryWordsTests {
  static let swedish: [(String, IncidentCategory)] = [
    ("olaga hot", .threat), ("hot", .threat), ("ofredande", .stalkingOrSurveillance),
    ("misshandel", .physicalViolence), ("våld", .physicalViolence), ("sexuellt våld", .sexualViolence),
    ("våldtäkt", .sexualViolence), ("olaga frihetsberövande", .restrictionOfMovement),
    ("inlåst", .restrictionOfMovement), ("människohandel", .forcedLabour), ("tvångsarbete", .forcedLabour),
    ("tiggeri", .coercionIntoCrimeOrBegging), ("koppleri", .sexualViolence), ("utpressning", .debtOrMoneyTaken),
    ("skuld", .debtOrMoneyTaken), ("pengar tagna", .debtOrMoneyTaken), ("pass taget", .documentsTaken),
    ("förföljelse", .stalkingOrSurveillance), ("stalkning", .stalkingOrSurveillance),
    ("hot på nätet", .onlineAbuse), ("skadegörelse", .damageToProperty), ("övrigt", .other),
  ]

  static let english: [(String, IncidentCategory)] = [
    ("threat", .threat), ("harassment", .stalkingOrSurveillance), ("assault", .physicalViolence),
    ("violence", .physicalViolence), ("sexual violence", .sexualViolence), ("rape", .sexualViolence),
    ("unlawful imprisonment", .restrictionOfMovement), ("locked in", .restrictionOfMovement),
    ("human trafficking", .forcedLabour), ("trafficking", .forcedLabour), ("forced labour", .forcedLabour),
    ("begging", .coercionIntoCrimeOrBegging), ("pimping", .sexualViolence), ("extortion", .debtOrMoneyTaken),
    ("blackmail", .debtOrMoneyTaken), ("debt", .debtOrMoneyTaken), ("money taken", .debtOrMoneyTaken),
    ("passport taken", .documentsTaken), ("stalking", .stalkingOrSurveillance), ("online threats", .onlineAbuse),
    ("vandalism", .damageToProperty), ("other", .other),
  ]

  @Test(arguments: swedish + english)
  func everyEverydayWordIsKeptAsItsCategory(word: String, category: IncidentCategory) throws {
    #expect(try IncidentCategory(userText: word) == category)
  }

  @Test(arguments: swedish + english)
  func caseSpacesAndHyphensDoNotMatter(word: String, category: IncidentCategory) throws {
    #expect(try IncidentCategory(userText: "  " + word.uppercased() + " ") == category)
    #expect(try IncidentCategory(userText: word.replacingOccurrences(of: " ", with: "-")) == category)
    #expect(try IncidentCategory(userText: word.replacingOccurrences(of: " ", with: " - ")) == category)
  }

  @Test(arguments: [
    ("vald", IncidentCategory.physicalViolence), ("valdtakt", .sexualViolence), ("inlast", .restrictionOfMovement),
    ("manniskohandel", .forcedLabour), ("tvangsarbete", .forcedLabour), ("forfoljelse", .stalkingOrSurveillance),
    ("hot pa natet", .onlineAbuse), ("skadegorelse", .damageToProperty), ("ovrigt", .other),
    ("sexuellt vald", .sexualViolence),
  ])
  func lettersWithoutTheirDotsAndRingsAreReadWhereThatIsUnambiguous(word: String, category: IncidentCategory) throws {
    #expect(try IncidentCategory(userText: word) == category)
  }

  @Test func everyCategoryStillReadsByItsId() throws {
    for category in IncidentCategory.allCases {
      #expect(try IncidentCategory(userText: category.rawValue) == category)
    }
  }

  @Test(arguments: ["", "  ", "hotet på bussen", "violenc", "pasport", "x"])
  func otherWordsAreRefused(word: String) {
    #expect(throws: VaultError.self) { _ = try IncidentCategory(userText: word) }
  }

  @Test func theHintNamesAreInTheLanguageAskedForAndAreAllAccepted() throws {
    let swedishNames = IncidentCategory.everydayNames(language: "sv")
    let englishNames = IncidentCategory.everydayNames(language: "en")
    #expect(IncidentCategory.everydayNames() == englishNames)
    #expect(IncidentCategory.everydayNames(language: "sv_SE") == swedishNames)
    #expect(swedishNames.count == IncidentCategory.allCases.count)
    #expect(swedishNames.first == "hot" && swedishNames.contains("sexuellt våld") && swedishNames.last == "övrigt")
    #expect(englishNames.first == "threat" && englishNames.last == "other")
    for (offset, category) in IncidentCategory.allCases.enumerated() {
      #expect(try IncidentCategory(userText: swedishNames[offset]) == category)
      #expect(try IncidentCategory(userText: englishNames[offset]) == category)
    }
  }
}
