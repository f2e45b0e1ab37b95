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
ui-practice-title = 练习：页面提问（某个值、输出尺寸、感受野）并核对你的答案（P）
ui-practice-answer = 你的答案
ui-practice-check = 核对
ui-practice-hint = 提示
ui-practice-show = 显示答案
ui-practice-next = 下一题
ui-practice-keys = Enter 核对 · H 提示 · A 答案 · N 下一题
ui-practice-hint-prefix = 提示：{ $text }
practice-step = 第 { $i } 步（共 { $n } 步），{ $stage }：{ $cell } = ? — 请根据高亮的单元格算出它（提示会列出各项）。

practice-shape-question = 第 { $number } 题：输出 { $output } 的高和宽是多少？请写成 H × W（例如 3 × 4）。
practice-shape-none = 这个视图没有可提问的输出尺寸公式：请选择 conv2d、conv_transpose2d、池化、带 scale_factor 的 interpolate 或像素重排。
practice-shape-step = 作答之前输出被隐藏：请根据输入、卷积核和各项设置算出它的高和宽。
practice-field-size-question = 第 { $number } 题：这个层堆叠中一个输出像素的感受野横跨多少个输入像素？
practice-field-stride-question = 第 { $number } 题：这个层堆叠的等效步幅是多少（相邻两个输出像素的感受野起点相隔多少个输入像素）？
practice-field-holes-question = 第 { $number } 题：一个输出像素的路径图里有没有空洞（感受野内没有任何路径到达的单元）？请回答有或没有。
practice-field-none = 这个视图没有可提问的层堆叠：请选择感受野视图。
practice-field-step = 作答之前路径图和公式被隐藏：请根据各层推算。
practice-not-a-shape = “{ $raw }”不是尺寸：请输入两个整数作为高和宽，例如 3 × 4。
practice-not-yes-no = “{ $raw }”既不是“有”也不是“没有”。
practice-right-worked = 第 { $number } 题：正确。推算过程：
practice-axis-right = { $axis ->
        [height] 高
       *[width] 宽
    } { $typed } 正确
practice-axis-off = { $axis ->
        [height] 高
       *[width] 宽
    } { $typed } { $direction ->
        [low] 偏小
       *[high] 偏大
    } { $off }
practice-wrong-shape = 不对：{ $axes }。再试一次，或者查看提示、显示答案。
practice-wrong-yes-no = 不对。再试一次，或者查看提示、显示答案。
practice-revealed-holes = 答案：{ $holes ->
        [yes] 有，路径图中有空洞
       *[no] 没有，感受野内的每个单元都能到达
    }。
practice-tolerance-shape = 尺寸是整数，必须完全相同。
practice-tolerance-whole = 答案是整数，必须完全相同。
practice-tolerance-yes-no = 请回答有或没有。
practice-hover-concealed = { $name } = { $value }{ $kind }（作答之前不显示它参与计算的单元）
ui-practice-kind = 提问内容
ui-practice-kind-value = 单元格的值
ui-practice-kind-shape = 输出尺寸
ui-practice-kind-field = 感受野
url-bad-vary = vary 中的“{ $name }”不是 { $op } 的带范围或选项的控件；不改变它
practice-cells-question = 第 { $number } 题：第 { $step } 步中 { $cell } 读取哪些单元？请在图中点选（或用 Shift+方向键移动光标并按 Enter），然后核对。
practice-cells-scatter-question = 第 { $number } 题：第 { $step } 步把 { $cell } 印到哪些单元上？请在图中点选（或用 Shift+方向键移动光标并按 Enter），然后核对。
practice-cells-none = 这个视图没有把少数单元读入一个单元的步骤，因此无题可出：请选择一个有步骤的算子。
practice-cells-step = 下一步是第 { $step } 步：{ $cell }（已框出）读取哪些单元？请选出它们，然后核对。
practice-cells-step-scatter = 下一步是第 { $step } 步：{ $cell }（已框出）被印到哪些单元上？请选出它们，然后核对。
practice-cells-none-chosen = 请先在图中点选一些单元。
practice-cells-right = 正确：{ $cell } 读取这 { $n } 个单元。
practice-cells-right-scatter = 正确：{ $cell } 被印到这 { $n } 个单元上。
practice-cells-wrong = 不对：{ $total } 个单元中选对了 { $right } 个，漏选 { $missed } 个，多选 { $extra } 个（已划叉）。请修改后再核对，或者查看提示、显示答案。
practice-cells-hint = 第 { $step } 步中 { $cell } 读取 { $counts }。
practice-cells-hint-scatter = 第 { $step } 步把 { $cell } 印到 { $counts } 上。
practice-cells-revealed = 答案：共 { $n } 个单元；你漏选的以蓝框标出。
practice-tolerance-cells = 要选出所有单元且不多选；再次点击已选单元可取消。
ui-practice-kind-cells = 某一步用到的单元
