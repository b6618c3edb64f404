import EvidenceReport
import EvidenceVault
import Foundation

/// The picture on the timeline page: incidents (coloured by their first category) and messages per week, month or
/// year, with a legend.
struct TimelineChart {
  struct Bar {
    var label: String
    /// Incidents per category raw value.
    var incidents: [String: Int] = [:]
    var messages = 0
    var incidentTotal: Int { incidents.values.reduce(0, +) }
  }

  let bucket: DossierStrings.ChartBucket
  let bars: [Bar]
  /// The category raw values that occur, in IncidentCategory order.
  let categories: [String]

  static let height = 62 * Page.millimetre

  /// The bars for `model`: weeks for up to half a year, months for up to six years, years beyond that. Nil when
  /// nothing has a date.
  init?(_ model: DossierModel) {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = model.timeZone
    let incidentDates = model.incidents.map(\.happened.start)
    let messageDates = model.messages.compactMap(\.sentAt)
    let all = incidentDates + messageDates + [model.periodStart, model.periodEnd].compactMap { $0 }
    guard !incidentDates.isEmpty || !messageDates.isEmpty, let first = all.min(), let last = all.max() else {
      return nil
    }
    let days = last.timeIntervalSince(first) / 86_400
    let bucket: DossierStrings.ChartBucket = days <= 183 ? .week : days <= 6 * 366 ? .month : .year
    let unit: Calendar.Component = bucket == .week ? .weekOfYear : bucket == .month ? .month : .year
    func start(_ date: Date) -> Date {
      switch bucket {
      case .week: return calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
      case .month: return calendar.dateInterval(of: .month, for: date)?.start ?? date
      case .year: return calendar.dateInterval(of: .year, for: date)?.start ?? date
      }
    }
    var starts: [Date] = []
    var cursor = start(first)
    let end = start(last)
    while cursor <= end, starts.count < 400 {
      starts.append(cursor)
      guard let next = calendar.date(byAdding: unit, value: 1, to: cursor) else { break }
      cursor = next
    }
    let strings = DossierStrings(language: model.language)
    var bars = starts.map { date -> Bar in
      let day = strings.isoDay(date, timeZone: model.timeZone)
      switch bucket {
      case .week: return Bar(label: String(day.dropFirst(5)))
      case .month: return Bar(label: String(day.prefix(7)))
      case .year: return Bar(label: String(day.prefix(4)))
      }
    }
    func index(_ date: Date) -> Int? {
      let bucketStart = start(date)
      // starts is sorted: the last start not after this one.
      guard let found = starts.lastIndex(where: { $0 <= bucketStart }) else { return nil }
      return found
    }
    var seen = Set<String>()
    for incident in model.incidents {
      guard let at = index(incident.happened.start) else { continue }
      let category = incident.categories.first ?? IncidentCategory.other.rawValue
      bars[at].incidents[category, default: 0] += 1
      seen.insert(category)
    }
    for date in messageDates {
      if let at = index(date) { bars[at].messages += 1 }
    }
    self.bucket = bucket
    self.bars = bars
    let known = IncidentCategory.allCases.map(\.rawValue)
    categories = known.filter(seen.contains) + seen.subtracting(known).sorted()
  }

  /// A colour for each category, the same in every dossier.
  static func colour(_ category: String) -> Colour {
    let palette: [Colour] = [
      Colour(red: 0.84, green: 0.19, blue: 0.15), Colour(red: 0.55, green: 0.08, blue: 0.1),
      Colour(red: 0.6, green: 0.2, blue: 0.55), Colour(red: 0.9, green: 0.55, blue: 0.1),
      Colour(red: 0.75, green: 0.6, blue: 0.1), Colour(red: 0.2, green: 0.5, blue: 0.25),
      Colour(red: 0.1, green: 0.55, blue: 0.55), Colour(red: 0.2, green: 0.35, blue: 0.7),
      Colour(red: 0.45, green: 0.3, blue: 0.15), Colour(red: 0.35, green: 0.65, blue: 0.85),
      Colour(red: 0.55, green: 0.55, blue: 0.2), Colour(red: 0.5, green: 0.5, blue: 0.55),
    ]
    guard let index = IncidentCategory.allCases.firstIndex(where: { $0.rawValue == category }) else {
      return Colour(red: 0.3, green: 0.3, blue: 0.3)
    }
    return palette[index % palette.count]
  }

  static let messageColour = Colour(red: 0.68, green: 0.68, blue: 0.72)

  /// Draws the caption, the bars and the legend from the canvas's current position.
  func draw(on canvas: PDFCanvas, strings: DossierStrings) {
    canvas.keepRoom(Self.height + 30)
    canvas.flow(strings.chartCaption(bucket), style: canvas.smallBold)
    canvas.space(4)
    let top = canvas.y
    let axisLeft = Page.left + 22
    let plotBottom = top + Self.height - 16
    let plotHeight = plotBottom - top - 4
    let plotWidth = Page.right - axisLeft
    let most = max(1, bars.map { max($0.incidentTotal, $0.messages) }.max() ?? 1)
    // Whole-number grid lines, at most five: the top of the scale is a multiple of the step.
    let step = max(1, Int((Double(most) / 4).rounded(.up)))
    let highest = step * Int((Double(most) / Double(step)).rounded(.up))
    let slot = plotWidth / Double(max(1, bars.count))
    let barWidth = max(0.6, min(14, slot * 0.4))

    for value in stride(from: 0, through: highest, by: step) {
      let lineY = plotBottom - plotHeight * Double(value) / Double(highest)
      canvas.line(
        from: (axisLeft, lineY), to: (Page.right, lineY), colour: value == 0 ? .grey : .rule,
        width: value == 0 ? 0.8 : 0.3)
      let number = canvas.makeLayout(String(value), style: canvas.small, width: 18)
      canvas.draw(number, x: Page.left, top: lineY - canvas.height(of: number) / 2, colour: .grey)
      canvas.release(number)
    }

    // Bars: incidents stacked by category, messages beside them in grey.
    let labelEvery = max(1, Int((34 / slot).rounded(.up)))
    for (index, bar) in bars.enumerated() {
      let x = axisLeft + slot * Double(index) + (slot - 2 * barWidth) / 2
      var stackTop = plotBottom
      for category in categories {
        guard let count = bar.incidents[category], count > 0 else { continue }
        let height = plotHeight * Double(count) / Double(highest)
        stackTop -= height
        canvas.fillRectangle(x: x, y: stackTop, width: barWidth, height: height, colour: Self.colour(category))
      }
      if bar.messages > 0 {
        let height = plotHeight * Double(bar.messages) / Double(highest)
        canvas.fillRectangle(
          x: x + barWidth, y: plotBottom - height, width: barWidth, height: height, colour: Self.messageColour)
      }
      if index % labelEvery == 0 {
        let label = canvas.makeLayout(bar.label, style: canvas.small, width: 60)
        let labelX = axisLeft + slot * Double(index) + 1
        // A label that would run past the right margin is left out.
        if labelX + canvas.width(of: label) <= Page.right {
          canvas.draw(label, x: labelX, top: plotBottom + 3, colour: .grey)
        }
        canvas.release(label)
      }
    }
    canvas.y = top + Self.height + 4
    drawLegend(on: canvas, strings: strings)
  }

  /// Coloured squares with the category names and "Messages", flowing across the page.
  private func drawLegend(on canvas: PDFCanvas, strings: DossierStrings) {
    let entries =
      categories.map { (strings.category($0), Self.colour($0)) } + [(strings.messages, Self.messageColour)]
    var x = Page.left
    let square = 7.0
    var rowHeight = 0.0
    for (name, colour) in entries {
      let layout = canvas.makeLayout(name, style: canvas.small, width: Page.bodyWidth - square - 4)
      let width = canvas.width(of: layout)
      let height = canvas.height(of: layout)
      if x + square + 4 + width > Page.right, x > Page.left {
        canvas.y += rowHeight + 3
        x = Page.left
        rowHeight = 0
      }
      canvas.keepRoom(height)
      canvas.fillRectangle(x: x, y: canvas.y + (height - square) / 2, width: square, height: square, colour: colour)
      canvas.draw(layout, x: x + square + 4, top: canvas.y, colour: .text)
      canvas.release(layout)
      x += square + 4 + width + 12
      rowHeight = max(rowHeight, height)
    }
    canvas.y += rowHeight
  }
}
