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
ui-practice-title = Practise: the page asks for a cell's value and checks your answer (P)
ui-practice-answer = Your answer
ui-practice-check = Check
ui-practice-hint = Hint
ui-practice-show = Show answer
ui-practice-next = Next question
ui-practice-keys = Enter checks · H hint · A answer · N next
ui-practice-hint-prefix = Hint: { $text }
practice-step = Step { $i } of { $n }, { $stage }: { $cell } = ? — work it out from the highlighted cells (the hint lists the terms).
