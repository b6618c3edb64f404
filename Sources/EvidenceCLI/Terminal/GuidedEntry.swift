import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

/// The step-by-step questions of `evidence add` on a terminal, in the interface's language. Each answer is
/// checked as it is given, so a mistake is put right at once (the question is asked again) rather than after all
/// the typing.
///
/// At every question an empty answer skips it, `?` explains it and `<` goes back to the one before. A name that is
/// not in the journal yet can be added on the way (two short questions), never a dead end.
///
/// Every answer (and every line of the account as it is written) is handed to `keep`, which seals it into the
/// inbox as a draft: Ctrl-C or a closed terminal loses nothing. A resumed draft's answers are offered again:
/// Enter keeps each one.
struct GuidedEntry {
  /// What has been typed so far, kept as a draft after every answer.
  private var questions: Questions
  /// Adds a person the journal does not know yet and gives back the journal's index with them in it.
  private let addPerson: (Person) throws(VaultError) -> JournalIndex

  init(
    resuming answers: [String: String] = [:], keep: @escaping ([String: String]) -> Void,
    addPerson: @escaping (Person) throws(VaultError) -> JournalIndex
  ) {
    questions = Questions(answers: answers, keep: keep)
    self.addPerson = addPerson
  }

  /// The questions, in the order they are asked.
  private enum Step: Int, CaseIterable {
    case when, guess, location, categories, perpetrators, witnesses, title, narrative, injuries, amounts, files
  }

  /// Asks every question and gives the entry's input and the files to attach to it.
  mutating func ask(index startIndex: JournalIndex, timeZone: TimeZone, now: Date) -> (EntryInput, files: [URL]) {
    var input = EntryInput()
    var files: [URL] = []
    var index = startIndex
    let parser = WhenParser(timeZone: timeZone, now: now)
    say(String(questions.answers.isEmpty ? .guidedIntro : .guidedIntroResumed))
    say(String(.guidedControls))
    var step = Step.when
    while true {
      let back: Bool
      switch step {
      case .when:
        back = questions.ask("when", .guidedAskWhen, explain: .guidedExplainWhen) { text throws(Complaint) in
          try Self.checkWhen(text, parser: parser, now: now)
        }.then { input.when = $0 }
      case .guess:
        back = questions.ask("approximate", .guidedAskGuess, explain: .guidedExplainGuess) { text throws(Complaint) in
          guard let meaning = Prompt.yesOrNo(text) else { throw Complaint(String(.answerYesOrNo)) }
          return meaning ?? false
        }.then { input.approximate = $0 ? true : nil }
      case .location:
        back = questions.ask("location", .guidedAskWhere, explain: .guidedExplainWhere) { $0 }
          .then { input.location = $0.isEmpty ? nil : $0 }
      case .categories:
        say(
          String(
            .guidedCategoriesIntro,
            [
              "list": IncidentCategory.allCases.enumerated().map { "\($0.offset + 1) \(Labels.category($0.element))" }
                .joined(separator: ", ")
            ]))
        back = questions.ask("categories", .guidedAskCategories, explain: .guidedExplainCategories) {
          text throws(Complaint) in
          try Self.split(text).map(Self.category)
        }.then { input.categories = $0 }
      case .perpetrators:
        if !index.people.isEmpty {
          say(String(.guidedPeopleInJournal, ["names": index.people.map(\.name).joined(separator: ", ")]))
        }
        back = askPeople("perpetrators", .guidedAskPerpetrators, explain: .guidedExplainPerpetrators, index: &index)
          .then { input.perpetrators = $0 }
      case .witnesses:
        back = askPeople("witnesses", .guidedAskWitnesses, explain: .guidedExplainWitnesses, index: &index)
          .then { input.witnesses = $0 }
      case .title:
        back = questions.ask("title", .guidedAskTitle, explain: .guidedExplainTitle) { text throws(Complaint) in
          guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw Complaint(String(.guidedTitleNeeded)) }
          return text
        }.then { input.title = $0 }
      case .narrative:
        back = askNarrative().then { input.narrative = $0 }
      case .injuries:
        back = questions.ask("injuries", .guidedAskInjuries, explain: .guidedExplainInjuries) { $0 }
          .then { input.injuries = $0.isEmpty ? nil : $0 }
      case .amounts:
        back = questions.ask("amounts", .guidedAskAmounts, explain: .guidedExplainAmounts) { text throws(Complaint) in
          let items = Self.split(text)
          for item in items {
            do throws(VaultError) { _ = try MoneyAmount(userText: item) } catch {
              throw Complaint(String(.guidedNotAnAmount, ["text": item]))
            }
          }
          return items
        }.then { input.amounts = $0 }
      case .files:
        back = questions.ask("files", .guidedAskFiles, explain: .guidedExplainFiles) { text throws(Complaint) in
          try Self.split(text).map(Self.file)
        }.then { files = $0 }
      }
      if back {
        guard let previous = Step(rawValue: step.rawValue - 1) else {
          say(String(.guidedCannotGoBack))
          continue
        }
        step = previous
      } else {
        guard let next = Step(rawValue: step.rawValue + 1) else { break }
        step = next
      }
    }
    return (input, files)
  }

  // MARK: - Checking answers

  private static func checkWhen(_ text: String, parser: WhenParser, now: Date) throws(Complaint) -> String {
    guard !text.isEmpty else { throw Complaint(String(.guidedWhenNeeded)) }
    let parsed: ParsedWhen
    do throws(WhenParseError) { parsed = try parser.parse(text) } catch {
      if InterfaceLanguage.current.code == Catalogue.english.code { throw Complaint(error.message) }
      throw Complaint(
        String(error.code == .inFuture ? .guidedWhenInFuture : .guidedWhenNotUnderstood, ["text": text]))
    }
    // More than about ten years back is more often a typing mistake than a memory: asked once.
    if parsed.needsConfirmation {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
      let year = calendar.component(.year, from: parsed.start)
      guard Prompt.confirm(String(.guidedWhenFarBack, ["year": String(year)]), default: true) else {
        throw Complaint(String(.guidedAskWhen))
      }
    }
    return text
  }

  private static func category(_ item: String) throws(Complaint) -> String {
    if let number = Int(item), number >= 1, number <= IncidentCategory.allCases.count {
      return IncidentCategory.allCases[number - 1].rawValue
    }
    // The names the list shows, in the interface's language, are always understood.
    let typed = item.lowercased()
    if let shown = IncidentCategory.allCases.first(where: { Labels.category($0).lowercased() == typed }) {
      return shown.rawValue
    }
    do throws(VaultError) { return try IncidentCategory(userText: item).rawValue } catch {
      let names = IncidentCategory.everydayNames(language: InterfaceLanguage.current.code).joined(separator: ", ")
      throw Complaint(String(.guidedNotACategory, ["text": item, "names": names]))
    }
  }

  private static func file(_ item: String) throws(Complaint) -> URL {
    let path = (item as NSString).expandingTildeInPath
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
      throw Complaint(String(.guidedNoSuchFile, ["path": TerminalSafeText.line(item)]))
    }
    return URL(fileURLWithPath: path)
  }

  // MARK: - Asking

  /// Names of people; a name not in the journal is offered to be added there and then.
  private mutating func askPeople(
    _ name: String, _ question: Phrase, explain: Phrase, index: inout JournalIndex
  ) -> Reply<[String]> {
    var known = index
    let add = addPerson
    let reply = questions.ask(name, question, explain: explain) { text throws(Complaint) -> [String] in
      let names = Self.split(text)
      for person in names {
        do throws(VaultError) { _ = try known.person(named: person) } catch {
          guard error.code == .unknownPerson else { throw Complaint(error.message) }
          known = try Self.offerToAdd(person, add: add)
        }
      }
      return names
    }
    index = known
    return reply
  }

  /// "Fatima is not in your journal yet. Add Fatima now?", then who they are and their phone number.
  private static func offerToAdd(
    _ name: String, add addPerson: (Person) throws(VaultError) -> JournalIndex
  ) throws(Complaint) -> JournalIndex {
    let shown = TerminalSafeText.line(name)
    guard Prompt.confirm(String(.guidedPersonNotInJournal, ["name": shown]), default: true) else {
      throw Complaint(String(.guidedPersonLeftOut, ["name": shown]))
    }
    var person = PersonInput(name: name)
    let relation = Prompt.ask(String(.guidedAskRelation, ["name": shown])).trimmingCharacters(in: .whitespaces)
    person.relation = relation.isEmpty ? nil : relation
    while true {
      let phone = Prompt.ask(String(.guidedAskPhone, ["name": shown])).trimmingCharacters(in: .whitespaces)
      person.phones = phone.isEmpty ? [] : [phone]
      do throws(VaultError) {
        let index = try addPerson(try person.makePerson())
        Prompt.say(String(.guidedPersonAdded, ["name": shown]))
        return index
      } catch {
        guard !phone.isEmpty, error.code == .invalidInput else { throw Complaint(error.message) }
        Prompt.say("  " + String(.guidedNotAPhone, ["text": TerminalSafeText.line(phone), "reason": error.message]))
      }
    }
  }

  /// The account, line by line; each line is kept as it is written. An earlier account is shown and can be
  /// continued. `<` as the first line goes back to the question before.
  private mutating func askNarrative() -> Reply<String> {
    var lines = questions.answers["narrative"].map { $0.components(separatedBy: "\n") } ?? []
    if lines.isEmpty {
      say(String(.guidedNarrativeIntro))
    } else {
      say(String(.guidedNarrativeBefore))
      for line in lines { say("  " + TerminalSafeText.line(line)) }
      say(String(.guidedNarrativeGoOn))
    }
    say(String(.guidedNarrativeEnd))
    var first = true
    while let line = readLine(strippingNewline: true), line != "." {
      if first, lines.isEmpty, line.trimmingCharacters(in: .whitespaces) == "<" { return .back }
      first = false
      lines.append(line)
      questions.keep("narrative", lines.joined(separator: "\n"))
    }
    return .answer(lines.joined(separator: "\n"))
  }

  /// The answers written out as one text, for keeping a draft as a quick note.
  static func noteText(of answers: [String: String]) -> String {
    var parts: [String] = []
    if let title = answers["title"], !title.isEmpty { parts.append(title) }
    if let narrative = answers["narrative"], !narrative.isEmpty { parts.append(narrative) }
    let labelled: [(String, Phrase)] = [
      ("when", .draftLabelWhen), ("location", .draftLabelWhere), ("categories", .draftLabelWhat),
      ("perpetrators", .draftLabelWhoDidIt), ("witnesses", .draftLabelWhoSaw), ("injuries", .draftLabelInjuries),
      ("amounts", .draftLabelMoney),
    ]
    let facts = labelled.compactMap { name, label in
      answers[name].flatMap { $0.isEmpty ? nil : "\(String(label)): \($0)" }
    }
    if !facts.isEmpty { parts.append(facts.joined(separator: "\n")) }
    return parts.joined(separator: "\n\n")
  }

  private static func split(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  private func say(_ text: String) { Prompt.say(text) }
}
