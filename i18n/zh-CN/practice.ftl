# 练习模式：页面提问，学生作答，由轨迹核对。

practice-value-question = 第 { $number } 题：第 { $step } 步之后 { $cell } 的值是多少？它在图中显示为 ?。
practice-value-none = 这个视图没有逐步计算的数值，因此无题可出：请选择一个有步骤的算子。
practice-right = 正确：{ $cell } = { $value }。
practice-wrong = 不对：{ $typed } { $direction ->
        [low] 偏小
       *[high] 偏大
    } { $off }。再试一次，或者查看提示、显示答案。
practice-not-a-number = “{ $raw }”不是数字：请输入 3、−1.5 或 0.25 这样的数。
practice-revealed = 答案：{ $value }。
practice-hover-hidden = 这是练习题的单元格：它的值正是要回答的。
practice-score = 得分：答对 { $right } 题，共作答 { $attempted } 题
practice-tolerance = 整数必须完全相同；其他数精确到两位小数即算对。

url-practice-only = { $key } 只在有 practice=… 时读取；已忽略
url-bad-practice = practice 必须是 { $kinds } 之一，不能是“{ $raw }”；不进入练习
url-bad-seed = seed 必须是整数，不能是“{ $raw }”；改用 seed 1
url-bad-question = question 必须是 1 到 { $n } 之间的整数，不能是“{ $raw }”；从第 1 题开始
url-bad-origin = origin 必须是 https://course.example 这样的网页来源，不能是“{ $raw }”；得分不发送给任何页面

ui-practice = 练习
ui-practice-title = 练习：页面询问某个单元格的值并核对你的答案（P）
ui-practice-answer = 你的答案
ui-practice-check = 核对
ui-practice-hint = 提示
ui-practice-show = 显示答案
ui-practice-next = 下一题
ui-practice-keys = Enter 核对 · H 提示 · A 答案 · N 下一题
ui-practice-hint-prefix = 提示：{ $text }
practice-step = 第 { $i } 步（共 { $n } 步），{ $stage }：{ $cell } = ? — 请根据高亮的单元格算出它（提示会列出各项）。
