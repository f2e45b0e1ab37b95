# Practice mode: the page asks, the student answers, the trace checks.

practice-value-question = Question { $number }: what value does { $cell } hold after step { $step }? It is drawn as ? in the picture.
practice-value-none = This view computes no values step by step, so there is no value to ask about: choose an operator with steps.
practice-right = Right: { $cell } = { $value }.
practice-wrong = Not quite: { $typed } is { $off } too { $direction ->
        [low] low
       *[high] high
    }. Try again, ask for a hint or show the answer.
practice-not-a-number = “{ $raw }” is not a number: type one such as 3, −1.5 or 0.25.
practice-revealed = The answer: { $value }.
practice-hover-hidden = This is the practice question's cell: its value is what you are asked.
practice-score = Score: { $right } right of { $attempted } attempted
practice-tolerance = Whole numbers must be exact; others count to two decimals.

url-practice-only = { $key } is read only with practice=…; ignored
url-bad-practice = practice must be one of { $kinds }, not “{ $raw }”; not practising
url-bad-seed = seed must be a whole number, not “{ $raw }”; using seed 1
url-bad-question = question must be a whole number from 1 to { $n }, not “{ $raw }”; starting at question 1
url-bad-origin = origin must be a web origin such as https://course.example, not “{ $raw }”; scores go to no page

ui-practice = Practice
ui-practice-title = Practise: the page asks (a value, the output size, a receptive field) and checks your answer (P)
ui-practice-answer = Your answer
ui-practice-check = Check
ui-practice-hint = Hint
ui-practice-show = Show answer
ui-practice-next = Next question
ui-practice-keys = Enter checks · H hint · A answer · N next
ui-practice-hint-prefix = Hint: { $text }
practice-step = Step { $i } of { $n }, { $stage }: { $cell } = ? — work it out from the highlighted cells (the hint lists the terms).

practice-shape-question = Question { $number }: what are the height and width of the output { $output }? Type them as H × W (e.g. 3 × 4).
practice-shape-none = This view has no output-size formula to ask about: choose conv2d, conv_transpose2d, a pooling, interpolate with scale_factor, or a pixel shuffle.
practice-shape-step = The output is hidden until you answer: work out its height and width from the input, the kernel and the settings.
practice-field-size-question = Question { $number }: how many input pixels across is the receptive field of one output pixel of this stack?
practice-field-stride-question = Question { $number }: what is the stack's effective stride (how far apart, in input pixels, two neighbouring output pixels' fields start)?
practice-field-holes-question = Question { $number }: does the map of one output pixel have holes, cells inside its field that no path reaches? Answer yes or no.
practice-field-none = This view has no layer stack to ask about: choose the receptive-field view.
practice-field-step = The map and the formulas are hidden until you answer: work it out from the layers.
practice-not-a-shape = “{ $raw }” is not a size: type the height and width as two whole numbers, such as 3 × 4.
practice-not-yes-no = “{ $raw }” is neither yes nor no.
practice-right-worked = Question { $number }: right. The working:
practice-axis-right = the { $axis ->
        [height] height
       *[width] width
    } { $typed } is right
practice-axis-off = the { $axis ->
        [height] height
       *[width] width
    } { $typed } is { $off } too { $direction ->
        [low] low
       *[high] high
    }
practice-wrong-shape = Not quite: { $axes }. Try again, ask for a hint or show the answer.
practice-wrong-yes-no = Not quite. Try again, ask for a hint or show the answer.
practice-revealed-holes = The answer: { $holes ->
        [yes] yes, the map has holes
       *[no] no, every cell of the field is reached
    }.
practice-tolerance-shape = Sizes are whole numbers and must be exact.
practice-tolerance-whole = The answer is a whole number and must be exact.
practice-tolerance-yes-no = Answer yes or no.
practice-hover-concealed = { $name } = { $value }{ $kind } (what it feeds is hidden until you answer)
ui-practice-kind = Ask about
ui-practice-kind-value = a cell's value
ui-practice-kind-shape = the output's size
ui-practice-kind-field = the receptive field
url-bad-vary = vary names “{ $name }”, which is not a control of { $op } with a range or options; not varied
practice-cells-question = Question { $number }: which cells does { $cell } read at step { $step }? Click them in the picture (or move the cursor with Shift+arrows and press Enter), then Check.
practice-cells-scatter-question = Question { $number }: onto which cells does step { $step } stamp { $cell }? Click them in the picture (or move the cursor with Shift+arrows and press Enter), then Check.
practice-cells-none = This view has no step that reads a few cells into one, so there are no cells to ask about: choose an operator with steps.
practice-cells-step = Step { $step } comes next: which cells does { $cell } (outlined) read? Choose them, then Check.
practice-cells-step-scatter = Step { $step } comes next: onto which cells is { $cell } (outlined) stamped? Choose them, then Check.
practice-cells-none-chosen = Choose some cells first: click them in the picture.
practice-cells-right = Right: { $cell } reads these { $n } cells.
practice-cells-right-scatter = Right: { $cell } is stamped onto these { $n } cells.
practice-cells-wrong = Not quite: { $right } of the { $total } cells are chosen, { $missed } missed, { $extra } chosen that do not belong (crossed). Change your choice and check again, ask for a hint or show the answer.
practice-cells-hint = { $cell } reads { $counts } at step { $step }.
practice-cells-hint-scatter = step { $step } stamps { $cell } onto { $counts }.
practice-cells-revealed = The answer: { $n } cells; the ones you missed are outlined in blue.
practice-tolerance-cells = Choose every cell and no other; click a chosen cell again to take it back.
ui-practice-kind-cells = the cells a step uses
