import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

/// The step-by-step questions of `evidence message add` on a terminal: how it came, who sent it, when, its exact
/// words, and the incident it belongs to. What was given as options is not asked. The same keys as `Questions`:
/// an empty answer keeps the default, `?` explains, `<` goes back.
struct GuidedMessage {
  private var questions: Questions
  private var input: MessageInput
  private let given: (channel: Bool, from: Bool, at: Bool, entry: Bool)

  init(channel: String?, from: String?, at: String?, entry: Int?, keep: @escaping ([String: String]) -> Void) {
    input = MessageInput(channel: channel ?? "sms", at: at ?? "")
    input.from = from
    input.entryNumber = entry
    given = (channel != nil, from != nil, at != nil, entry != nil)
    questions = Questions(answers: [:]) { _ in }
    // The draft is the message input itself, so that a wrong answer later never loses the words.
    let base = input
    questions = Questions(answers: [:]) { answers in
      var draft = base
      draft.channel = answers["channel"].flatMap { $0.isEmpty ? nil : $0 } ?? base.channel
      draft.from = answers["from"].flatMap { $0.isEmpty ? nil : $0 } ?? base.from
      draft.at = answers["at"] ?? base.at
      draft.text = answers["text"] ?? ""
      draft.entryNumber = answers["entry"].flatMap { Int($0) } ?? base.entryNumber
      keep(draft.draftAnswers)
    }
  }

  private enum Step: Int, CaseIterable { case channel, from, at, text, entry }

  mutating func ask(index: JournalIndex, timeZone: TimeZone, now: Date) -> MessageInput {
    let parser = WhenParser(timeZone: timeZone, now: now)
    let channels = Message.Channel.allCases.map(\.rawValue).joined(separator: ", ")
    Prompt.say(String(.guidedIntro))
    Prompt.say(String(.guidedControls))
    var step = Step.channel
    while true {
      var back = false
      switch step {
      case .channel where !given.channel:
        back = questions.ask("channel", .guidedAskChannel, ["list": channels], explain: .guidedExplainChannel) {
          text throws(Complaint) in
          let name = text.isEmpty ? "sms" : text.lowercased()
          guard Message.Channel(rawValue: name) != nil else {
            throw Complaint(String(.guidedNotAChannel, ["text": text, "list": channels]))
          }
          return name
        }.then { input.channel = $0 }
      case .from where !given.from:
        back = questions.ask("from", .guidedAskSender, explain: .guidedExplainSender) { $0 }
          .then { input.from = $0.isEmpty ? nil : $0 }
      case .at where !given.at:
        back = questions.ask("at", .guidedAskReceived, explain: .guidedExplainReceived) { text throws(Complaint) in
          guard !text.isEmpty else { throw Complaint(String(.guidedWhenNeeded)) }
          do throws(WhenParseError) { _ = try parser.parse(text) } catch {
            if InterfaceLanguage.current.code == Catalogue.english.code { throw Complaint(error.message) }
            throw Complaint(
              String(error.code == .inFuture ? .guidedWhenInFuture : .guidedWhenNotUnderstood, ["text": text]))
          }
          return text
        }.then { input.at = $0 }
      case .text:
        back = askText().then { input.text = $0 }
      case .entry where !given.entry:
        back = questions.ask("entry", .guidedAskMessageEntry, explain: .guidedExplainMessageEntry) {
          text throws(Complaint) -> Int? in
          guard !text.isEmpty else { return nil }
          guard let number = Int(text.trimmingCharacters(in: CharacterSet(charactersIn: "#"))),
            index.entries.indices.contains(number - 1)
          else { throw Complaint(String(.guidedNotAnEntry, ["text": TerminalSafeText.line(text)])) }
          return number
        }.then { input.entryNumber = $0 }
      default: break
      }
      if back {
        guard let previous = Step(rawValue: step.rawValue - 1) else {
          Prompt.say(String(.guidedCannotGoBack))
          continue
        }
        step = previous
      } else {
        guard let next = Step(rawValue: step.rawValue + 1) else { break }
        step = next
      }
    }
    return input
  }

  /// The words, line by line until a line with only a dot; asked again when there are none. `<` as the first
  /// line goes back.
  private mutating func askText() -> Reply<String> {
    Prompt.say(String(.guidedMessageTextIntro))
    Prompt.say(String(.guidedNarrativeEnd))
    while true {
      var lines: [String] = []
      var ended = true
      while let line = readLine(strippingNewline: true) {
        if line == "." {
          ended = false
          break
        }
        if lines.isEmpty, line.trimmingCharacters(in: .whitespaces) == "<" { return .back }
        lines.append(line)
        questions.keep("text", lines.joined(separator: "\n"))
      }
      let text = lines.joined(separator: "\n")
      if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .answer(text) }
      Prompt.say("  " + String(.guidedMessageNeedsText))
      if ended { return .answer("") }
    }
  }
}
