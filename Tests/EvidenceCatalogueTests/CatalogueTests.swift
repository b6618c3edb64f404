import EvidenceCatalogue
import Testing

/// Every language says everything English says, with the same placeholders; the language is chosen in the
/// documented order.
@Suite struct CatalogueTests {
  @Test("Every language has every phrase", arguments: Catalogue.all.map(\.code))
  func complete(code: String) throws {
    let catalogue = try #require(Catalogue.named(code))
    let missing = Phrase.allCases.filter { !catalogue.has($0) }
    #expect(missing.isEmpty, "\(catalogue.name) lacks \(missing)")
  }

  @Test(
    "Every wording names the placeholders English names, and is a plural where English is",
    arguments: Catalogue.all.map(\.code))
  func placeholders(code: String) throws {
    let catalogue = try #require(Catalogue.named(code))
    for phrase in Phrase.allCases where catalogue.has(phrase) {
      let english = Catalogue.english.wording(phrase)
      let wording = catalogue.wording(phrase)
      #expect(english.forms.count == wording.forms.count, "\(code) \(phrase): plural in one language only")
      let expected = english.forms.reduce(into: Set<String>()) { $0.formUnion(Wording.placeholders(in: $1)) }
      for form in wording.forms {
        // A plural's "one" form may say the number in words instead of {count}.
        let names = Wording.placeholders(in: form).union(wording.forms.count == 2 ? ["count"] : [])
        #expect(
          names == expected.union(wording.forms.count == 2 ? ["count"] : []),
          "\(code) \(phrase): \(form) names \(names.sorted()), English \(expected.sorted())")
      }
      #expect(!wording.forms.contains(""), "\(code) \(phrase) is empty")
    }
  }

  @Test("Languages have distinct codes, and the code is what --ui-lang and LANG give")
  func codes() {
    #expect(Set(Catalogue.all.map(\.code)).count == Catalogue.all.count)
    #expect(Catalogue.named("sv_SE.UTF-8")?.code == "sv")
    #expect(Catalogue.named("sv-SE")?.code == "sv")
    #expect(Catalogue.named("EN")?.code == "en")
    #expect(Catalogue.named("de_DE.UTF-8") == nil)
    #expect(Catalogue.named("C.UTF-8") == nil)
    #expect(Catalogue.named("") == nil)
  }

  @Test("Placeholders are filled in and plurals follow the count")
  func filling() {
    let swedish = Catalogue.swedish
    #expect(swedish.text(.addSaved, ["number": "12"]) == "Händelse #12 är sparad.")
    #expect(swedish.text(.passphraseTryAgain, count: 1).contains("1 försök kvar"))
    #expect(swedish.text(.passphraseTryAgain, count: 2).contains("2 försök kvar"))
    #expect(Catalogue.english.text(.agoDays, count: 1) == "1 day ago")
    #expect(Catalogue.english.text(.agoDays, count: 12) == "12 days ago")
    // A value is never read as a placeholder itself: what the person typed goes in as it is.
    #expect(
      Catalogue.english.text(.guidedNoSuchFile, ["path": "{name}/x"]) == "There is no file at {name}/x.")
    #expect(Wording.placeholders(in: "{a} and {b}, {a}") == ["a", "b"])
  }

  @Test("The language comes from --ui-lang, then EVIDENCE_LANG, then the journal's choice, then the locale")
  func choice() {
    let swedishLocale = ["LANG": "sv_SE.UTF-8"]
    #expect(InterfaceLanguage.choose(option: "en", environment: swedishLocale, saved: "sv").catalogue.code == "en")
    #expect(InterfaceLanguage.choose(option: "en", environment: swedishLocale, saved: "sv").source == .option)
    #expect(
      InterfaceLanguage.choose(option: nil, environment: ["EVIDENCE_LANG": "sv", "LANG": "en_GB.UTF-8"], saved: "en")
        .source == .environment)
    #expect(
      InterfaceLanguage.choose(option: nil, environment: ["LANG": "en_GB.UTF-8"], saved: "sv").catalogue.code == "sv")
    #expect(InterfaceLanguage.choose(option: nil, environment: swedishLocale, saved: nil).catalogue.code == "sv")
    // LC_ALL decides before LANG, even when it says C.
    #expect(
      InterfaceLanguage.choose(option: nil, environment: ["LC_ALL": "C", "LANG": "sv_SE"], saved: nil).catalogue.code
        == "en")
    #expect(
      InterfaceLanguage.choose(option: nil, environment: ["LC_MESSAGES": "sv_SE.UTF-8", "LANG": "en_US"], saved: nil)
        .catalogue.code == "sv")
    // A language without a catalogue is passed over.
    #expect(InterfaceLanguage.choose(option: "de", environment: swedishLocale, saved: nil).catalogue.code == "sv")
    #expect(InterfaceLanguage.choose(option: nil, environment: [:], saved: nil).source == .fallback)
  }
}
